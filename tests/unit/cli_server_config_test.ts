import assert from "node:assert/strict";
import { parseOptions, UsageError } from "../../src/cli/options.ts";
import { resolveServerOptions, SERVER_OPTIONS, UI_OPTIONS } from "../../src/cli/server-options.ts";

const CWD = "/home/u/proj";
const resolveArgs = (argv: string[], vars: Record<string, string> = {}, specs = SERVER_OPTIONS) =>
  resolveServerOptions(parseOptions(specs, argv, (n) => vars[n]).values, CWD);

function usageError(fn: () => unknown, part: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected UsageError, got ${e}`);
    assert.ok(e.message.includes(part), `'${e.message}' lacks '${part}'`);
    return;
  }
  assert.fail("no UsageError thrown");
}

Deno.test("defaults: ./mlruns folder, proxied artifacts, 127.0.0.1:5000, 4 workers", () => {
  const r = resolveArgs([]);
  assert.equal(r.backendDir, "/home/u/proj/mlruns");
  assert.equal(r.kvPath, "/home/u/proj/mlruns/tracker.kv.sqlite3");
  assert.deepEqual(r.notices, ["Backend store URI not provided. Using ./mlruns"]);
  assert.deepEqual(r.config, {
    host: "127.0.0.1",
    port: 5000,
    backendStoreUri: "/home/u/proj/mlruns",
    defaultArtifactRoot: "mlflow-artifacts:/",
    serveArtifacts: true,
    artifactsDestination: "/home/u/proj/mlartifacts",
    staticPrefix: "",
    workers: 4,
    exposePrometheus: false,
    allowedHosts: undefined,
    corsAllowedOrigins: undefined,
    xFrameOptions: "SAMEORIGIN",
    disableSecurityMiddleware: false,
  });
});

Deno.test("security options: host and origin lists, frame options, opt-out", () => {
  const r = resolveArgs([
    "--allowed-hosts",
    "tracker.example.com, *.corp",
    "--cors-allowed-origins",
    "https://app.example.com",
    "--x-frame-options",
    "deny",
    "--disable-security-middleware",
  ]);
  assert.deepEqual(r.config.allowedHosts, ["tracker.example.com", "*.corp"]);
  assert.deepEqual(r.config.corsAllowedOrigins, ["https://app.example.com"]);
  assert.equal(r.config.xFrameOptions, "DENY");
  assert.equal(r.config.disableSecurityMiddleware, true);
  usageError(() => resolveArgs(["--x-frame-options", "ALLOWALL"]), "--x-frame-options");
});

Deno.test("ui runs one worker", () => {
  assert.equal(resolveArgs([], {}, UI_OPTIONS).config.workers, 1);
  assert.equal(resolveArgs([], { MLFLOW_WORKERS: "8" }, UI_OPTIONS).config.workers, 1);
});

Deno.test("without artifact serving the default root is the backend folder as a file URI (spec 7.4)", () => {
  const r = resolveArgs(["--no-serve-artifacts", "--backend-store-uri", "data dir"]);
  assert.equal(r.config.defaultArtifactRoot, "file:///home/u/proj/data%20dir");
  assert.equal(r.notices.length, 0);
  const kv = resolveArgs(["--no-serve-artifacts", "--backend-store-uri", "https://kv.example/db"]);
  assert.equal(kv.config.defaultArtifactRoot, "file:///home/u/proj/mlruns");
});

Deno.test("an explicit default artifact root wins; local ones become absolute file URIs", () => {
  assert.equal(resolveArgs(["--default-artifact-root", "s3://b/p"]).config.defaultArtifactRoot, "s3://b/p");
  assert.equal(
    resolveArgs(["--default-artifact-root", "./art"]).config.defaultArtifactRoot,
    "file:///home/u/proj/art",
  );
  assert.equal(
    resolveArgs(["--no-serve-artifacts", "--default-artifact-root", "file:///srv/a"]).config
      .defaultArtifactRoot,
    "file:///srv/a",
  );
});

Deno.test("backend store URI forms: folder, file URI, KV Connect URL, :memory:", () => {
  assert.equal(resolveArgs(["--backend-store-uri", "/var/t"]).kvPath, "/var/t/tracker.kv.sqlite3");
  assert.equal(resolveArgs(["--backend-store-uri", "file:///var/t"]).kvPath, "/var/t/tracker.kv.sqlite3");
  const kv = resolveArgs([], { MLFLOW_BACKEND_STORE_URI: "https://kv.example/db" });
  assert.equal(kv.kvPath, "https://kv.example/db");
  assert.equal(kv.backendDir, undefined);
  assert.equal(kv.config.backendStoreUri, "https://kv.example/db");
  const mem = resolveArgs(["--backend-store-uri", ":memory:"]);
  assert.deepEqual([mem.kvPath, mem.backendDir], [":memory:", undefined]);
});

Deno.test("SQL backends are refused with a hint", () => {
  usageError(
    () => resolveArgs(["--backend-store-uri", "sqlite:///mlflow.db"]),
    "unsupported URI 'sqlite:///mlflow.db'",
  );
  usageError(
    () => resolveArgs(["--backend-store-uri", "postgresql://h/db"]),
    "http(s):// Deno KV Connect URL",
  );
});

Deno.test("artifacts destination must be local only while serving", () => {
  assert.equal(resolveArgs(["--artifacts-destination", "/x/art"]).config.artifactsDestination, "/x/art");
  usageError(() => resolveArgs(["--artifacts-destination", "s3://b"]), "--artifacts-destination");
  assert.equal(
    resolveArgs(["--no-serve-artifacts", "--artifacts-destination", "s3://b"]).config.artifactsDestination,
    "/home/u/proj/mlartifacts",
  );
});

Deno.test("static prefix must start with '/' and not end with '/'", () => {
  assert.equal(resolveArgs(["--static-prefix", "/tracker"]).config.staticPrefix, "/tracker");
  assert.equal(resolveArgs([], { MLFLOW_STATIC_PREFIX: "/p/q" }).config.staticPrefix, "/p/q");
  usageError(() => resolveArgs(["--static-prefix", "tracker"]), "must begin with a '/'");
  usageError(() => resolveArgs(["--static-prefix", "/tracker/"]), "must not end with a '/'");
  usageError(() => resolveArgs(["--static-prefix", "/{x}"]), "must not contain");
});

Deno.test("port and workers are validated integers", () => {
  assert.equal(resolveArgs(["-p", "0"]).config.port, 0);
  assert.equal(resolveArgs(["-w", "2"]).config.workers, 2);
  usageError(() => resolveArgs(["-p", "70000"]), "--port must be an integer from 0 to 65535, got '70000'");
  usageError(() => resolveArgs(["-p", "http"]), "--port must be an integer");
  usageError(() => resolveArgs(["-w", "0"]), "--workers must be an integer from 1");
  usageError(() => resolveArgs([], { MLFLOW_WORKERS: "two" }), "--workers must be an integer");
});

Deno.test("--expose-prometheus turns metrics on with or without a directory", () => {
  assert.equal(resolveArgs(["--expose-prometheus"]).config.exposePrometheus, true);
  assert.equal(resolveArgs(["--expose-prometheus", "/tmp/prom"]).config.exposePrometheus, true);
  assert.equal(resolveArgs([], { MLFLOW_EXPOSE_PROMETHEUS: "/tmp/prom" }).config.exposePrometheus, true);
});
