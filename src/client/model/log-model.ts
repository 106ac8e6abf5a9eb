// logModel: writes a model folder (MLmodel + model files) into a temporary directory, uploads it to the
// run's artifacts at `artifactPath`, and records it with runs/log-model (tag mlflow.log-model.history).

import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { TrackerError } from "../errors.ts";
import { logArtifacts } from "../artifacts/ops.ts";
import type { ArtifactRepo } from "../artifacts/repo.ts";
import { cleanArtifactPath } from "../artifacts/paths.ts";
import { toYaml } from "../yaml.ts";
import {
  condaEnv,
  DEFAULT_ONNX_ENV,
  jsMLmodel,
  type ModelSignature,
  ONNX_DATA,
  type OnnxEnv,
  onnxMLmodel,
  pipRequirements,
  pythonEnv,
} from "./mlmodel.ts";

export interface LogModelCommon {
  /** Folder inside the run's artifacts; default "model". */
  artifactPath?: string;
  signature?: ModelSignature;
  metadata?: Record<string, unknown>;
}

export interface LogOnnxModel extends LogModelCommon {
  /** Path of a .onnx file, or its bytes. */
  onnx: string | Uint8Array;
  /** Versions written to the Python environment files (defaults match tracker's test pins). */
  env?: Partial<OnnxEnv>;
}

export interface LogJsModel extends LogModelCommon {
  js: {
    /** Path of an ES module exporting the predict function, or its source text as {source}. */
    module: string | { source: string };
    /** Exported function name; default "predict". */
    predictFn?: string;
    /** Further files the module imports, copied next to it under their base names. */
    files?: string[];
  };
}

export type LogModelOptions = LogOnnxModel | LogJsModel;

export interface LoggedModelInfo {
  artifactPath: string;
  /** `runs:/<run_id>/<artifactPath>`, what `tracker models serve -m` and mlflow's loaders accept. */
  modelUri: string;
  modelUuid: string;
  flavor: "onnx" | "js";
  /** The MLmodel document as written. */
  mlmodel: Record<string, unknown>;
}

export interface LogModelTarget {
  runId: string;
  repo: ArtifactRepo;
  /** runs/log-model with the MLmodel as JSON. */
  record(modelJson: string): Promise<void>;
}

export async function logModel(target: LogModelTarget, opts: LogModelOptions): Promise<LoggedModelInfo> {
  const artifactPath = cleanArtifactPath(opts.artifactPath ?? "model");
  if (artifactPath === "") {
    throw new TrackerError("logModel: artifactPath must name a folder", "INVALID_PARAMETER_VALUE");
  }
  const dir = await mkdtemp(join(tmpdir(), "tracker-model-"));
  try {
    const base = {
      runId: target.runId,
      artifactPath,
      modelUuid: crypto.randomUUID().replaceAll("-", ""),
      createdAt: new Date(),
      signature: opts.signature,
      metadata: opts.metadata,
    };
    let mlmodel: Record<string, unknown>;
    let flavor: "onnx" | "js";
    if ("onnx" in opts) {
      const env = { ...DEFAULT_ONNX_ENV, ...opts.env };
      const size = await writeOnnx(dir, opts.onnx);
      mlmodel = onnxMLmodel(base, env, size);
      await writeFile(join(dir, "conda.yaml"), toYaml(condaEnv(env)));
      await writeFile(join(dir, "python_env.yaml"), toYaml(pythonEnv(env)));
      await writeFile(join(dir, "requirements.txt"), pipRequirements(env).join("\n"));
      flavor = "onnx";
    } else if ("js" in opts) {
      const { module, predictFn = "predict", files = [] } = opts.js;
      if (!/^[A-Za-z_$][\w$]*$/.test(predictFn)) {
        throw new TrackerError(
          `logModel: predictFn '${predictFn}' is not a function name`,
          "INVALID_PARAMETER_VALUE",
        );
      }
      const moduleFile = typeof module === "string" ? basename(module) : "model.mjs";
      if (typeof module === "string") await copyInto(module, dir);
      else await writeFile(join(dir, moduleFile), module.source);
      for (const f of files) await copyInto(f, dir);
      mlmodel = jsMLmodel(base, moduleFile, predictFn);
      flavor = "js";
    } else {
      throw new TrackerError("logModel: pass either onnx or js", "INVALID_PARAMETER_VALUE");
    }
    await writeFile(join(dir, "MLmodel"), toYaml(mlmodel));
    await logArtifacts(target.repo, dir, artifactPath);
    await target.record(JSON.stringify(mlmodel));
    return {
      artifactPath,
      modelUri: `runs:/${target.runId}/${artifactPath}`,
      modelUuid: base.modelUuid,
      flavor,
      mlmodel,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeOnnx(dir: string, onnx: string | Uint8Array): Promise<number> {
  const dst = join(dir, ONNX_DATA);
  if (typeof onnx === "string") {
    await copyFile(await existingFile(onnx), dst);
  } else await writeFile(dst, onnx);
  return (await stat(dst)).size;
}

async function copyInto(file: string, dir: string): Promise<void> {
  const dst = join(dir, basename(file));
  await mkdir(dirname(dst), { recursive: true });
  await copyFile(await existingFile(file), dst);
}

async function existingFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new TrackerError(`logModel: no such file: ${path}`, "INVALID_PARAMETER_VALUE");
  return path;
}
