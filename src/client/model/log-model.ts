// logModel: writes a model folder (MLmodel + model files) into a temporary directory and uploads it the way
// the mlflow 3.18 client does when the server has logged models: create a logged model named after
// `artifactPath` (run params copied, context tags), link it to the run as an output, upload the folder to
// the model's artifact location, finalize it READY (UPLOAD_FAILED on error). `runs:/<run>/<name>` then
// resolves through the logged model (mlflow 3 clients and `tracker models serve` both look it up), and
// `models:/<model_id>` names it. Against a server without logged models (MLflow 2), the folder goes into
// the run's artifacts at `artifactPath` and is recorded with runs/log-model (tag mlflow.log-model.history).

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
  /** The model's name (MLflow 3) and its folder in the run's artifacts (MLflow 2); default "model". */
  artifactPath?: string;
  /** Step of the run output linking the model (MLflow 3); default 0. */
  step?: number;
  /** Tags of the logged model, on top of the context tags (MLflow 3). */
  tags?: Record<string, string>;
  /** `model_type` of the logged model (MLflow 3). */
  modelType?: string;
  /** "mlflow2" writes the run-artifacts layout even when the server has logged models. */
  layout?: "auto" | "mlflow2";
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
  /** `models:/<model_id>` for a logged model, else `runs:/<run_id>/<artifactPath>` (as mlflow reports). */
  modelUri: string;
  /** `runs:/<run_id>/<artifactPath>`: resolves in both layouts (mlflow 3 and `tracker models serve`). */
  runUri: string;
  /** The MLflow 3 logged model, when one was created. */
  modelId?: string;
  /** Where the model's files are: the logged model's artifact location, or the run's folder. */
  artifactUri?: string;
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
  /** MLflow 3 logged models; absent means the MLflow 2 layout. */
  models?: LoggedModelOps;
}

export interface LoggedModelOps {
  /** Creates a PENDING logged model; null when the server has no logged-models API. */
  create(
    input: { name: string; modelType?: string; tags: Record<string, string> },
  ): Promise<{ modelId: string; artifactUri: string } | null>;
  repo(artifactUri: string): ArtifactRepo;
  linkToRun(modelId: string, step: number): Promise<void>;
  finalize(modelId: string, status: "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED"): Promise<void>;
}

export async function logModel(target: LogModelTarget, opts: LogModelOptions): Promise<LoggedModelInfo> {
  const artifactPath = cleanArtifactPath(opts.artifactPath ?? "model");
  if (artifactPath === "") {
    throw new TrackerError("logModel: artifactPath must name a folder", "INVALID_PARAMETER_VALUE");
  }
  const logged = opts.layout === "mlflow2" || !target.models ? null : await target.models.create({
    name: artifactPath,
    modelType: opts.modelType,
    tags: opts.tags ?? {},
  });
  if (logged === null) return await writeAndUpload(target, opts, artifactPath, null);
  const ops = target.models!;
  try {
    await ops.linkToRun(logged.modelId, opts.step ?? 0);
    const info = await writeAndUpload(target, opts, artifactPath, {
      ...logged,
      repo: ops.repo(logged.artifactUri),
    });
    await ops.finalize(logged.modelId, "LOGGED_MODEL_READY");
    return info;
  } catch (e) {
    await ops.finalize(logged.modelId, "LOGGED_MODEL_UPLOAD_FAILED").catch(() => {});
    throw e;
  }
}

/** Writes the model folder and uploads it: to the logged model when there is one, else to the run. */
async function writeAndUpload(
  target: LogModelTarget,
  opts: LogModelOptions,
  artifactPath: string,
  logged: { modelId: string; artifactUri: string; repo: ArtifactRepo } | null,
): Promise<LoggedModelInfo> {
  const dir = await mkdtemp(join(tmpdir(), "tracker-model-"));
  try {
    const base = {
      runId: target.runId,
      // MLflow 3 writes the model's artifact location here.
      artifactPath: logged?.artifactUri ?? artifactPath,
      modelId: logged?.modelId,
      modelUuid: logged?.modelId ?? crypto.randomUUID().replaceAll("-", ""),
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
    const runUri = `runs:/${target.runId}/${artifactPath}`;
    if (logged) {
      await logArtifacts(logged.repo, dir, "");
      return {
        artifactPath,
        modelUri: `models:/${logged.modelId}`,
        runUri,
        modelId: logged.modelId,
        artifactUri: logged.artifactUri,
        modelUuid: base.modelUuid,
        flavor,
        mlmodel,
      };
    }
    await logArtifacts(target.repo, dir, artifactPath);
    await target.record(JSON.stringify(mlmodel));
    return { artifactPath, modelUri: runUri, runUri, modelUuid: base.modelUuid, flavor, mlmodel };
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
