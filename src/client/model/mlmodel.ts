// The MLmodel document and environment files of a logged model (spec §9). Two flavors:
// - onnx: MLflow's own layout (flavors.onnx + python_function with loader_module mlflow.onnx, conda.yaml,
//   python_env.yaml, requirements.txt), so `mlflow.onnx.load_model`/`mlflow.pyfunc.load_model` and
//   `tracker models serve` both load it;
// - js: an ES module exporting predict, the layout src/serving/js-model.ts loads
//   (flavors.js: {data: <module file>, predict_fn}); MLflow itself cannot load this one.

/** MLflow's signature: column or tensor specs, as MLflow writes them (e.g. {type: "double", name: "x"}). */
export interface ModelSignature {
  inputs?: unknown[];
  outputs?: unknown[];
  params?: unknown[];
}

export interface MLmodelBase {
  runId: string;
  /** The run-relative folder (MLflow 2), or the logged model's artifact location (MLflow 3). */
  artifactPath: string;
  /** MLflow 3's logged model id (also the model_uuid then). */
  modelId?: string;
  modelUuid: string;
  createdAt: Date;
  signature?: ModelSignature;
  metadata?: Record<string, unknown>;
}

/** The MLflow version the written files claim; the server reports the same one. */
export const MLFLOW_VERSION = "3.18.0";

export interface OnnxEnv {
  pythonVersion: string;
  onnxVersion: string;
  onnxruntimeVersion: string;
  /** Extra pip requirements, e.g. ["numpy==2.4.6"]. */
  extraPipRequirements: string[];
}

export const DEFAULT_ONNX_ENV: OnnxEnv = {
  pythonVersion: "3.11",
  onnxVersion: "1.23.2",
  onnxruntimeVersion: "1.31.1",
  extraPipRequirements: [],
};

export const ONNX_DATA = "model.onnx";

export function onnxMLmodel(base: MLmodelBase, env: OnnxEnv, sizeBytes: number): Record<string, unknown> {
  return {
    ...common(base),
    flavors: {
      onnx: {
        code: null,
        data: ONNX_DATA,
        onnx_session_options: null,
        onnx_version: env.onnxVersion,
        providers: ["CUDAExecutionProvider", "CPUExecutionProvider"],
      },
      python_function: {
        data: ONNX_DATA,
        env: { conda: "conda.yaml", virtualenv: "python_env.yaml" },
        loader_module: "mlflow.onnx",
        python_version: env.pythonVersion,
      },
    },
    model_size_bytes: sizeBytes,
  };
}

export function jsMLmodel(base: MLmodelBase, moduleFile: string, predictFn: string): Record<string, unknown> {
  return { ...common(base), flavors: { js: { data: moduleFile, predict_fn: predictFn } } };
}

function common(base: MLmodelBase): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    artifact_path: base.artifactPath,
    mlflow_version: MLFLOW_VERSION,
    model_uuid: base.modelUuid,
    run_id: base.runId,
    utc_time_created: pythonUtcTime(base.createdAt),
  };
  if (base.modelId) doc.model_id = base.modelId;
  if (base.signature) {
    // MLflow stores each part as a JSON string inside the YAML.
    doc.signature = {
      inputs: base.signature.inputs ? JSON.stringify(base.signature.inputs) : null,
      outputs: base.signature.outputs ? JSON.stringify(base.signature.outputs) : null,
      params: base.signature.params ? JSON.stringify(base.signature.params) : null,
    };
  }
  if (base.metadata) doc.metadata = base.metadata;
  return doc;
}

/** Python's str(datetime.utcnow()): "YYYY-MM-DD HH:MM:SS.ffffff". */
export function pythonUtcTime(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

export function pipRequirements(env: OnnxEnv): string[] {
  return [
    `mlflow==${MLFLOW_VERSION}`,
    `onnx==${env.onnxVersion}`,
    `onnxruntime==${env.onnxruntimeVersion}`,
    ...env.extraPipRequirements,
  ];
}

export function condaEnv(env: OnnxEnv): Record<string, unknown> {
  return {
    channels: ["conda-forge"],
    dependencies: [`python=${env.pythonVersion}`, "pip", { pip: pipRequirements(env) }],
    name: "mlflow-env",
  };
}

export function pythonEnv(env: OnnxEnv): Record<string, unknown> {
  return {
    build_dependencies: ["pip", "setuptools", "wheel"],
    dependencies: ["-r requirements.txt"],
    python: env.pythonVersion,
  };
}
