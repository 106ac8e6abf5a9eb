// `tracker models serve` (alias `tracker serve`): MLflow's `mlflow models serve` options, then the scoring
// server until SIGINT/SIGTERM. Exit codes: 0 after a clean stop, 1 when the model cannot be served, 2 for
// usage errors.

import { parseArgs } from "node:util";
import { ModelRefused } from "./mlmodel.ts";
import { engineSettingFromEnv } from "./ort-runtime.ts";
import { ModelLoadError } from "./pool.ts";
import { resolveModelUri } from "./resolve-uri.ts";
import { startScoringServer } from "./server.ts";
import { discardPrestartedWorker } from "./worker-source.ts";

export interface ServeIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: (name: string) => string | undefined;
  /** Module the prediction Workers start from; it must dispatch to runServingWorker(). */
  entryUrl: string;
}

export const SERVE_HELP = `Usage: tracker models serve -m MODEL_URI [OPTIONS]

Serve an MLflow model over HTTP with MLflow's scoring protocol (/invocations, /ping, /health, /version,
/metrics). ONNX models (mlflow.onnx.log_model) and JS models (the TypeScript client's logModel) are served;
models that need Python (pickle) are refused.

Options:
  -m, --model-uri URI     Local folder, file://, runs:/<run_id>/<path>, models:/<name>/<version|stage|latest>,
                          models:/<name>@<alias>, models:/<model_id> or mlflow-artifacts:/... (resolved
                          through --tracking-uri / MLFLOW_TRACKING_URI, else the local store ./mlruns)
  -p, --port PORT         Port to listen on (env MLFLOW_PORT; default 5000)
  -h, --host HOST         Interface to bind (env MLFLOW_HOST; default 127.0.0.1)
  -w, --workers N         Prediction workers (env MLFLOW_MODELS_WORKERS; default: number of CPU cores)
  -t, --timeout SECONDS   Per-request timeout, answered with 504 (env MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT;
                          default 60)
      --tracking-uri URI  Tracking server (http(s)://) or store folder that resolves runs:/, models:/ and
                          mlflow-artifacts: URIs (default: ./mlruns, through the tracker ui holding it)
      --env-manager NAME  Accepted for compatibility and ignored (no Python environment is built)
      --no-conda, --install-mlflow
                          Accepted for compatibility and ignored
      --help              Show this message

Environment: TRACKER_ONNX_RUNTIME=auto|js|web|node picks the engine of ONNX models. auto (default) runs
the model on tracker's JS engine when it implements every op (common scikit-learn conversions: linear
models, trees and forests, SVMs, MLPs, KNN, scalers), its dense layers hold at most 100k weights and its
Scans run at most 500 steps, and on ONNX Runtime's WebAssembly build otherwise (the start line says why);
js and web force one of them; node needs the onnxruntime-node npm package and a run from source.
TRACKER_JS_SANDBOX=1 runs a JS model with no permission but reading its own folder (needs Deno's
--unstable-worker-options; without it Deno stops the server when the first Worker starts).
`;

class Usage extends Error {}

const ENGINE_NAMES = { js: "JS engine", web: "ONNX Runtime web", node: "ONNX Runtime node" } as const;

function intOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new Usage(`${name} must be an integer >= ${min}, got '${value}'`);
  }
  return Number(value);
}

export interface ServeSettings {
  modelUri: string;
  host: string;
  port: number;
  workers: number;
  timeoutSeconds: number;
  trackingUri?: string;
}

export function parseServeArgs(argv: string[], env: ServeIo["env"]): ServeSettings | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        "model-uri": { type: "string", short: "m" },
        port: { type: "string", short: "p" },
        host: { type: "string", short: "h" },
        workers: { type: "string", short: "w" },
        timeout: { type: "string", short: "t" },
        "tracking-uri": { type: "string" },
        "env-manager": { type: "string" },
        "no-conda": { type: "boolean" },
        "install-mlflow": { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new Usage((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  const modelUri = v["model-uri"];
  if (!modelUri) throw new Usage("missing option -m/--model-uri");
  const envManager = v["env-manager"];
  if (envManager !== undefined && !["local", "virtualenv", "uv", "conda"].includes(envManager)) {
    throw new Usage(`--env-manager must be one of local, virtualenv, uv, conda; got '${envManager}'`);
  }
  const port = intOption(v.port ?? env("MLFLOW_PORT"), "--port", 0) ?? 5000;
  if (port > 65535) throw new Usage(`--port must be at most 65535, got ${port}`);
  return {
    modelUri,
    host: v.host ?? env("MLFLOW_HOST") ?? "127.0.0.1",
    port,
    workers: intOption(v.workers ?? env("MLFLOW_MODELS_WORKERS"), "--workers", 1) ??
      navigator.hardwareConcurrency ?? 1,
    timeoutSeconds: intOption(v.timeout ?? env("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT"), "--timeout", 1) ??
      60,
    trackingUri: v["tracking-uri"] ?? env("MLFLOW_TRACKING_URI"),
  };
}

function defaultIo(): ServeIo {
  return {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    env: (n) => {
      try {
        return Deno.env.get(n);
      } catch {
        return undefined;
      }
    },
    entryUrl: Deno.mainModule,
  };
}

/** Runs `tracker models serve <argv>` until the server is stopped; returns the exit code. */
export async function serveCommand(argv: string[], io: Partial<ServeIo> = {}): Promise<number> {
  try {
    return await serve(argv, io);
  } finally {
    discardPrestartedWorker(); // when the command failed before a pool took it
  }
}

async function serve(argv: string[], io: Partial<ServeIo>): Promise<number> {
  const { out, err, env, entryUrl } = { ...defaultIo(), ...io };
  let settings: ServeSettings | "help";
  let engine;
  try {
    settings = parseServeArgs(argv, env);
    engine = engineSettingFromEnv(env("TRACKER_ONNX_RUNTIME"));
  } catch (e) {
    if (!(e instanceof Usage) && !(e instanceof Error && e.message.startsWith("TRACKER_ONNX_RUNTIME"))) {
      throw e;
    }
    err(`tracker models serve: ${(e as Error).message} (see 'tracker models serve --help')`);
    return 2;
  }
  if (settings === "help") {
    out(SERVE_HELP);
    return 0;
  }
  let resolved;
  try {
    resolved = await resolveModelUri(settings.modelUri, {
      trackingUri: settings.trackingUri,
      env: {
        MLFLOW_TRACKING_USERNAME: env("MLFLOW_TRACKING_USERNAME"),
        MLFLOW_TRACKING_PASSWORD: env("MLFLOW_TRACKING_PASSWORD"),
        MLFLOW_TRACKING_TOKEN: env("MLFLOW_TRACKING_TOKEN"),
      },
    });
  } catch (e) {
    err(`tracker models serve: ${(e as Error).message}`);
    return 1;
  }
  const cleanup = async () => {
    if (resolved.tempDir) await Deno.remove(resolved.tempDir, { recursive: true }).catch(() => {});
  };
  let server;
  try {
    server = await startScoringServer({
      modelDir: resolved.dir,
      host: settings.host,
      port: settings.port,
      workers: settings.workers,
      timeoutMs: settings.timeoutSeconds * 1000,
      engine,
      entryUrl,
      sandboxJs: env("TRACKER_JS_SANDBOX") === "1",
    });
    await server.ready;
  } catch (e) {
    await server?.close();
    await cleanup();
    const refused = e instanceof ModelRefused || (e instanceof ModelLoadError && e.refused);
    err(`tracker models serve: ${refused ? "" : "cannot load the model: "}${(e as Error).message}`);
    return 1;
  }
  if (server.fallbackReason) err(`tracker models serve: using ONNX Runtime: ${server.fallbackReason}`);
  out(
    `Serving ${resolved.source} (${server.flavor}${
      server.engine ? `, ${ENGINE_NAMES[server.engine]}` : ""
    }) with ` +
      `${settings.workers} worker${
        settings.workers === 1 ? "" : "s"
      } at http://${settings.host}:${server.port}`,
  );
  const stop = () => void server.close();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  await server.finished;
  await server.close();
  for (const s of signals) Deno.removeSignalListener(s, stop);
  await cleanup();
  return 0;
}
