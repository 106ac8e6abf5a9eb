// The MLmodel file of a model directory and the choice of what serves it. Only flavors that need no Python
// are served: `onnx` (through ONNX Runtime) and `js` (an ES module exporting predict). Nothing from a Python
// flavor is ever unpickled and a `loader_module` is never imported; a model with only such flavors is
// refused with the way out.

import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { Signature } from "./signature.ts";
import { parseSignature } from "./signature-parse.ts";

export const MLMODEL_FILE = "MLmodel";

export interface MLmodel {
  flavors: Record<string, Record<string, unknown>>;
  signature?: Signature;
  runId?: string;
  modelId?: string;
}

export type FlavorChoice =
  | {
    flavor: "onnx";
    data: string;
    sessionOptions?: { graphOptimizationLevel?: number; executionMode?: string };
  }
  | { flavor: "js"; data: string; predictFn: string };

/** A model that exists but that tracker will not load; the message says what to do instead. */
export class ModelRefused extends Error {}

const mlmodelSchema = z.object({
  flavors: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
  signature: z.unknown().optional(),
  run_id: z.string().nullish(),
  model_id: z.string().nullish(),
  model_uuid: z.string().nullish(),
}).passthrough();

export function parseMLmodel(text: string): MLmodel {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ModelRefused(`MLmodel is not valid YAML: ${(e as Error).message}`);
  }
  const r = mlmodelSchema.safeParse(doc);
  if (!r.success) throw new ModelRefused(`MLmodel has no valid 'flavors' map: ${r.error.issues[0]?.message}`);
  let signature: Signature | undefined;
  try {
    signature = parseSignature(r.data.signature);
  } catch (e) {
    throw new ModelRefused(`MLmodel has an invalid signature: ${(e as Error).message}`);
  }
  const flavors = Object.fromEntries(Object.entries(r.data.flavors).map(([k, v]) => [k, v ?? {}]));
  return { flavors, signature, runId: r.data.run_id ?? undefined, modelId: r.data.model_id ?? undefined };
}

export async function readMLmodel(modelDir: string): Promise<MLmodel> {
  let text: string;
  try {
    text = await Deno.readTextFile(path.join(modelDir, MLMODEL_FILE));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ModelRefused(`No MLmodel file in '${modelDir}': is this an MLflow model directory?`);
    }
    throw e;
  }
  return parseMLmodel(text);
}

/** A relative path inside the model directory; MLmodel is data and must not point elsewhere. */
function insidePath(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") {
    throw new ModelRefused(`${what} must be a relative file path`);
  }
  const norm = path.posix.normalize(value.replaceAll("\\", "/"));
  if (path.posix.isAbsolute(norm) || norm === ".." || norm.startsWith("../") || /^[A-Za-z]:/.test(norm)) {
    throw new ModelRefused(`${what} '${value}' points outside the model directory`);
  }
  return norm;
}

export const WAY_OUT = "tracker serves ONNX and JS models only, and never unpickles a model or imports its " +
  "Python loader_module. Convert the model to ONNX (for scikit-learn: skl2onnx.to_onnx(model, X[:1])) and log it " +
  "with mlflow.onnx.log_model(onnx_model, name=..., signature=...), or log a JS model with the TypeScript " +
  "client's logModel.";

/** Picks the flavor tracker serves, or refuses the model. */
export function chooseFlavor(m: MLmodel): FlavorChoice {
  const onnx = m.flavors.onnx;
  if (onnx) {
    const opts = z.object({
      graph_optimization_level: z.number().int().nullish(),
      execution_mode: z.string().nullish(),
    }).passthrough().nullish().safeParse(onnx.onnx_session_options);
    const o = opts.success ? opts.data : undefined;
    return {
      flavor: "onnx",
      data: insidePath(onnx.data ?? "model.onnx", "flavors.onnx.data"),
      sessionOptions: o
        ? {
          graphOptimizationLevel: o.graph_optimization_level ?? undefined,
          executionMode: o.execution_mode ?? undefined,
        }
        : undefined,
    };
  }
  const js = m.flavors.js;
  if (js) {
    const fn = js.predict_fn ?? "predict";
    if (typeof fn !== "string" || !/^[A-Za-z_$][\w$]*$/.test(fn)) {
      throw new ModelRefused("flavors.js.predict_fn must name an exported function");
    }
    return { flavor: "js", data: insidePath(js.data, "flavors.js.data"), predictFn: fn };
  }
  const pyfunc = m.flavors.python_function;
  if (pyfunc?.loader_module === "mlflow.onnx" && typeof pyfunc.data === "string") {
    return { flavor: "onnx", data: insidePath(pyfunc.data, "flavors.python_function.data") };
  }
  const names = Object.keys(m.flavors);
  throw new ModelRefused(
    `This model has no flavor tracker can serve (flavors: ${names.join(", ") || "none"}). ${WAY_OUT}`,
  );
}
