// The `onnx` flavor: an ONNX Runtime session over `model.onnx`, fed and read the way mlflow.onnx's pyfunc
// wrapper does it. A DataFrame becomes one 2-D tensor (or one column per input when the graph has several
// inputs) and yields a DataFrame of flattened outputs; an array or dict yields `{output_name: array}`.
// float64 data is narrowed to float32 for `tensor(float)` inputs.

import * as path from "node:path";
import { frameValues } from "./enforce.ts";
import { columnIndex, type Frame } from "./frame.ts";
import type { PyFuncInput } from "./input.ts";
import { castValues, type DType, type NdArray, NUMERIC_DTYPE_NAMES, size } from "./ndarray.ts";
import type { Workload } from "./onnx-js/session.ts";
import type { Prediction } from "./prediction.ts";
import { type ZipMapOutput, zipRows } from "./zipmap-rows.ts";
import { PredictError } from "./prediction.ts";

/** A tensor as either engine hands it back: element type name, dimensions, values. */
export interface RuntimeTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

export interface RuntimeSession {
  readonly inputMetadata: readonly { name: string; isTensor: boolean; type?: string }[];
  readonly outputMetadata: readonly { name: string; isTensor: boolean }[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, RuntimeTensor>): Promise<Record<string, RuntimeTensor>>;
  release(): Promise<void>;
  /** Dense weights and Scan steps the model's constants imply (the JS engine counts them). */
  workload?(): Workload;
  /** ZipMap outputs the engine returns as their probability tensors (the JS engine); others rewrite the graph. */
  readonly zipmaps?: readonly ZipMapOutput[];
}

export interface SessionOptions {
  executionMode: "sequential" | "parallel";
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  externalData?: { path: string; data: Uint8Array }[];
}

/** What OnnxModel needs of an engine: ONNX Runtime (ort-runtime.ts) and the JS engine (onnx-js/) provide it. */
export interface OnnxEngine {
  /** "onnxruntime-web", "onnxruntime-node" or "js": shown in logs. */
  readonly name: string;
  /** True when the engine opens the file itself (the native build finds external data that way). */
  readonly byPath: boolean;
  /** True when external-data files must be read and handed over with the model's bytes. */
  readonly takesExternalData: boolean;
  tensor(type: string, data: ArrayLike<unknown>, dims: readonly number[]): RuntimeTensor;
  createSession(model: Uint8Array | string, options: SessionOptions): Promise<RuntimeSession>;
}

export interface OnnxFlavorConfig {
  /** Model file relative to the model directory (`data` of the flavor). */
  data: string;
  sessionOptions?: {
    graphOptimizationLevel?: number;
    executionMode?: string;
  };
}

// ONNX Runtime spells strings "string".
const ORT_TO_DTYPE: Record<string, DType> = { ...NUMERIC_DTYPE_NAMES, string: "str" };

const GRAPH_LEVELS = ["disabled", "basic", "extended", "all"] as const;

// Files MLflow writes next to model.onnx; anything else there may be an external-data file of the graph.
const MLFLOW_FILES = new Set([
  "MLmodel",
  "conda.yaml",
  "python_env.yaml",
  "requirements.txt",
  "constraints.txt",
  "input_example.json",
  "serving_input_example.json",
  "registered_model_meta",
]);

export class OnnxModel {
  private constructor(
    private readonly engine: OnnxEngine,
    private readonly session: RuntimeSession,
    readonly inputs: { name: string; type: string }[],
    private readonly outputNames: string[],
    private readonly zipmaps: ZipMapOutput[],
  ) {}

  static async load(engine: OnnxEngine, modelDir: string, config: OnnxFlavorConfig): Promise<OnnxModel> {
    const file = path.resolve(modelDir, config.data);
    // An engine that opens the file itself gets the path; the bytes are read only if a ZipMap rewrite needs them.
    const bytes = engine.byPath ? undefined : await Deno.readFile(file);
    const options: SessionOptions = {
      executionMode: config.sessionOptions?.executionMode === "parallel" ? "parallel" : "sequential",
    };
    // The WebAssembly build cannot open files: hand it every file that may hold external tensors.
    if (engine.takesExternalData) {
      options.externalData = await externalDataFiles(path.dirname(file), path.basename(file));
    }
    const level = config.sessionOptions?.graphOptimizationLevel;
    if (typeof level === "number") options.graphOptimizationLevel = GRAPH_LEVELS[Math.min(level, 3)];
    let session = await engine.createSession(bytes ?? file, options);
    let zipmaps: ZipMapOutput[] = [...session.zipmaps ?? []];
    const outputs = [...session.outputNames];
    if (session.outputMetadata.some((m) => !m.isTensor)) {
      const { stripZipMaps } = await import("./zipmap.ts");
      const rewritten = stripZipMaps(bytes ?? await Deno.readFile(file));
      if (rewritten) {
        await session.release();
        zipmaps = rewritten.zipmaps;
        session = await engine.createSession(rewritten.bytes, options);
      }
    }
    const inputs = session.inputMetadata.map((m) => ({
      name: m.name,
      type: m.isTensor && m.type ? m.type : "unknown",
    }));
    return new OnnxModel(engine, session, inputs, outputs, zipmaps);
  }

  /** Dense weights and Scan steps the model's constants imply, when the engine counts them. */
  workload(): Workload | undefined {
    return this.session.workload?.();
  }

  async predict(input: PyFuncInput): Promise<Prediction> {
    const feeds = this.feeds(input);
    let results: Record<string, RuntimeTensor>;
    try {
      results = await this.session.run(feeds);
    } catch (e) {
      const who = this.engine.name === "js" ? "The JS ONNX engine" : "ONNX Runtime";
      throw new PredictError(`${who} failed to run the model: ${(e as Error).message}`);
    }
    const named = new Map<string, NdArray>();
    for (const name of this.outputNames) named.set(name, this.readOutput(name, results));
    if (input.kind === "frame") {
      // pd.DataFrame.from_dict of every output flattened to one dimension.
      const columns = [...named.keys()];
      const cols = [...named.values()].map((a) => a.data);
      const n = cols[0]?.length ?? 0;
      if (cols.some((c) => c.length !== n)) {
        throw new PredictError("All arrays must be of the same length");
      }
      return { kind: "records", columns, values: cols, rows: n };
    }
    return { kind: "arrays", arrays: named };
  }

  private readOutput(name: string, results: Record<string, RuntimeTensor>): NdArray {
    const z = this.zipmaps.find((z) => z.output === name);
    if (z) {
      const probs = results[z.source];
      const rows = zipRows(probs.data as ArrayLike<number>, z.labels);
      return { dtype: "object", shape: [rows.length], data: rows };
    }
    const t = results[name];
    const dtype = ORT_TO_DTYPE[t.type] ?? "object";
    const data = Array.from(
      t.data as ArrayLike<unknown>,
      (v) => (typeof v === "bigint" ? bigToNumber(v) : v),
    );
    return { dtype, shape: [...t.dims], data };
  }

  private feeds(pf: PyFuncInput): Record<string, RuntimeTensor> {
    const feeds: Record<string, RuntimeTensor> = {};
    switch (pf.kind) {
      case "dict":
        for (const [name, a] of pf.entries) feeds[name] = this.tensor(name, a);
        break;
      case "ndarray":
        if (this.inputs.length !== 1) {
          throw new PredictError(
            `A single array can only feed a model with one input; this model has ${this.inputs.length} inputs ` +
              `(${this.inputs.map((i) => i.name).join(", ")}): send a dict or a DataFrame naming them.`,
          );
        }
        feeds[this.inputs[0].name] = this.tensor(this.inputs[0].name, pf.array);
        break;
      case "frame":
        if (this.inputs.length > 1) {
          for (const { name } of this.inputs) feeds[name] = this.tensor(name, frameColumn(pf, name));
        } else {
          feeds[this.inputs[0].name] = this.tensor(this.inputs[0].name, frameValues(pf));
        }
        break;
      case "scalar":
      case "llm":
        throw new PredictError(
          `ONNX models take a DataFrame, an array or a dict of arrays, not a ${pf.kind} input`,
        );
    }
    return feeds;
  }

  private tensor(name: string, a: NdArray): RuntimeTensor {
    const want = this.inputs.find((i) => i.name === name)?.type;
    let array = a;
    if (want === "float32" && a.dtype === "float64") array = { ...a, dtype: "float32" };
    return makeTensor(this.engine, array);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function frameColumn(f: Frame, name: string): NdArray {
  const i = columnIndex(f, name);
  if (i < 0) throw new PredictError(`'${name}'`);
  const col = f.data[i];
  return { dtype: col.dtype, shape: [f.rows], data: col.values };
}

function bigToNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A tensor with the typed array ONNX Runtime expects for the dtype (the JS engine takes the same). */
export function makeTensor(engine: OnnxEngine, a: NdArray): RuntimeTensor {
  const dims = a.shape;
  const n = size(dims);
  if (a.data.length !== n) {
    throw new PredictError(`array of shape (${dims.join(", ")}) has ${a.data.length} values`);
  }
  const num = (dtype: DType) => castValues(a.data, dtype, "") as number[];
  switch (a.dtype) {
    case "float32":
      return engine.tensor("float32", Float32Array.from(num("float32")), dims);
    case "float64":
      return engine.tensor("float64", Float64Array.from(num("float64")), dims);
    case "int32":
      return engine.tensor("int32", Int32Array.from(num("int32")), dims);
    case "int16":
      return engine.tensor("int16", Int16Array.from(num("int16")), dims);
    case "int8":
      return engine.tensor("int8", Int8Array.from(num("int8")), dims);
    case "uint8":
      return engine.tensor("uint8", Uint8Array.from(num("uint8")), dims);
    case "uint16":
      return engine.tensor("uint16", Uint16Array.from(num("uint16")), dims);
    case "uint32":
      return engine.tensor("uint32", Uint32Array.from(num("uint32")), dims);
    case "int64":
      return engine.tensor("int64", BigInt64Array.from(a.data, (v) => BigInt(v as number | bigint)), dims);
    case "uint64":
      return engine.tensor("uint64", BigUint64Array.from(a.data, (v) => BigInt(v as number | bigint)), dims);
    case "bool":
      return engine.tensor("bool", Uint8Array.from(a.data, (v) => (v ? 1 : 0)), dims);
    case "str":
      return engine.tensor("string", a.data.map(String), dims);
    default:
      throw new PredictError(`arrays of dtype ${a.dtype} cannot be fed to ONNX Runtime`);
  }
}

async function externalDataFiles(
  dir: string,
  modelFile: string,
): Promise<{ path: string; data: Uint8Array }[]> {
  const out: { path: string; data: Uint8Array }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || e.name === modelFile || MLFLOW_FILES.has(e.name) || e.name.endsWith(".json")) continue;
    if (e.name.endsWith(".yaml") || e.name.endsWith(".txt") || e.name.endsWith(".onnx")) continue;
    out.push({ path: e.name, data: await Deno.readFile(path.join(dir, e.name)) });
  }
  return out;
}
