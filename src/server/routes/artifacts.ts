// Artifact endpoints: the proxied artifact service (`/api/2.0/mlflow-artifacts/...`, rooted at the
// artifacts destination), the run-scoped `artifacts/list`, and the UI's `/get-artifact` and
// `upload-artifact`. Every user-given path passes validatePathIsSafe here, and FsArtifactRepo re-proves
// on disk that it stays under its root.

import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { reqStr, str } from "../../api/fields.ts";
import { invalidParam, MlflowError } from "../../errors.ts";
import { artifactResponse } from "../../artifacts/download.ts";
import { type FileInfo, FsArtifactRepo } from "../../artifacts/fs-repo.ts";
import { type SafePath, validatePathIsSafe } from "../../artifacts/paths.ts";
import { resolveStoredArtifactDir } from "../../services/models-locations.ts";
import type { AppDeps, RootModule, RouteModule } from "../app.ts";
import { queryObject, readMessage } from "../request.ts";

const MAX_UI_UPLOAD_BYTES = 10 * 1024 * 1024;
const MPU_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";
const MPD_UNSUPPORTED = "Multipart download is not supported for the current artifact repository";
const ARTIFACT_SERVICE_PREFIXES = ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"];

const listSchema = z.object({ path: str().optional() });
const mpuSchemas = {
  create: z.object({ path: reqStr(), num_parts: z.union([z.number(), z.string()]).optional() }),
  complete: z.object({ path: reqStr(), upload_id: str().optional(), parts: z.array(z.unknown()) }),
  abort: z.object({ path: reqStr(), upload_id: str().optional() }),
};
const runListSchema = z.object({
  run_id: str().optional(),
  run_uuid: str().optional(),
  path: str().optional(),
  page_token: str().optional(),
});

/** The proxied artifact service plus `/get-artifact` and the UI upload, registered at the root. */
export const artifactRootRoutes: RootModule = (root, deps) => {
  for (const prefix of ARTIFACT_SERVICE_PREFIXES) root.route(prefix, artifactService(deps));

  root.get("/get-artifact", async (c) => {
    const q = queryObject(c.req.url);
    const runId = firstString(q.run_id) || firstString(q.run_uuid);
    if (!runId) throw missing("run_id");
    const rawPath = firstString(q.path);
    if (rawPath === undefined) throw missing("path");
    const path = validatePathIsSafe(rawPath);
    const repo = await runRepo(deps, runId);
    return artifactResponse(await repo.open(path), path, c.req.method === "HEAD");
  });

  root.post("/ajax-api/2.0/mlflow/upload-artifact", async (c) => {
    const q = queryObject(c.req.url);
    const runId = firstString(q.run_id) || firstString(q.run_uuid);
    if (!runId) throw invalidParam("Request must specify run_id or run_uuid.");
    const rawPath = firstString(q.path);
    if (!rawPath) throw invalidParam("Request must specify path.");
    const path = validatePathIsSafe(rawPath);
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > MAX_UI_UPLOAD_BYTES) throw tooLarge();
    if (declared === "0" || c.req.raw.body === null) throw invalidParam("Request must specify data.");
    const repo = await runRepo(deps, runId);
    await repo.write(path, c.req.raw.body.pipeThrough(sizeLimit(MAX_UI_UPLOAD_BYTES)));
    return c.json({});
  });
};

/** `GET artifacts/list` on the tracking API: a run's artifacts, paths relative to the run root. */
export const artifactApiRoutes: RouteModule = (api, deps) => {
  api.get("/artifacts/list", async (c) => {
    const msg = await readMessage(c, runListSchema);
    const runId = msg.run_id || msg.run_uuid;
    if (!runId) throw missing("run_id");
    const path = msg.path === undefined ? undefined : validatePathIsSafe(msg.path);
    const run = await deps.store.getRun(runId);
    const repo = new FsArtifactRepo(
      await resolveStoredArtifactDir(run.info.artifactUri, deps.config, deps.store),
    );
    const files = (await repo.list(path)).map(fileInfoToWire);
    return c.json(
      files.length ? { root_uri: run.info.artifactUri, files } : { root_uri: run.info.artifactUri },
    );
  });
};

function artifactService(deps: AppDeps): Hono {
  const svc = new Hono();
  const repo = () => new FsArtifactRepo(deps.config.artifactsDestination);

  svc.use("*", async (c, next) => {
    if (!deps.config.serveArtifacts) {
      return c.text(
        `Endpoint: ${new URL(c.req.url).pathname} is disabled because the server runs with ` +
          "--no-serve-artifacts. Start it with --serve-artifacts to proxy artifacts.",
        503,
      );
    }
    await next();
  });

  svc.get("/artifacts", async (c) => {
    const msg = await readMessage(c, listSchema);
    const path = msg.path === undefined ? undefined : validatePathIsSafe(msg.path);
    // This service answers with basenames; the client re-joins them to the path it asked for.
    const files = (await repo().list(path)).map((f) => fileInfoToWire({ ...f, path: basename(f.path) }));
    return c.json(files.length ? { files } : {});
  });

  svc.get("/artifacts/*", async (c) => {
    const path = tailPath(c, "/artifacts/");
    return artifactResponse(await repo().open(path), path, c.req.method === "HEAD");
  });

  svc.put("/artifacts/*", async (c) => {
    await repo().write(tailPath(c, "/artifacts/"), c.req.raw.body);
    return c.json({});
  });

  svc.delete("/artifacts/*", async (c) => {
    await repo().delete(tailPath(c, "/artifacts/"));
    return c.json({});
  });

  for (const kind of ["create", "complete", "abort"] as const) {
    svc.post(`/mpu/${kind}/*`, async (c) => {
      tailPath(c, `/mpu/${kind}/`);
      await readMessage(c, mpuSchemas[kind]);
      throw new MlflowError("NOT_IMPLEMENTED", MPU_UNSUPPORTED);
    });
  }

  svc.get("/presigned/*", (c) => {
    tailPath(c, "/presigned/");
    throw new MlflowError("NOT_IMPLEMENTED", MPD_UNSUPPORTED);
  });

  return svc;
}

/**
 * The artifact path after `marker`, taken from the raw (still percent-encoded) URL so that
 * validatePathIsSafe sees every encoding layer the client sent.
 */
function tailPath(c: Context, marker: string): SafePath {
  // The raw request target, not `new URL(...).pathname`: URL parsing resolves `..` segments, which would
  // hide a traversal attempt from the path check (and let one run write into another's folder).
  const pathname = rawPathname(c.req.url);
  const anchor = "/mlflow-artifacts" + marker;
  const at = pathname.indexOf(anchor);
  const raw = at < 0 ? "" : pathname.slice(at + anchor.length);
  if (raw === "") throw invalidParam("Invalid path");
  return validatePathIsSafe(raw);
}

function rawPathname(url: string): string {
  const afterScheme = url.indexOf("://");
  const start = url.indexOf("/", afterScheme < 0 ? 0 : afterScheme + 3);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return url.slice(start, end < start ? undefined : end);
}

async function runRepo(deps: AppDeps, runId: string): Promise<FsArtifactRepo> {
  const run = await deps.store.getRun(runId);
  return new FsArtifactRepo(await resolveStoredArtifactDir(run.info.artifactUri, deps.config, deps.store));
}

/** MLflow's FileInfo JSON: size omitted for directories and for empty files (proto default). */
function fileInfoToWire(f: FileInfo): Record<string, unknown> {
  return f.fileSize
    ? { path: f.path, is_dir: f.isDir, file_size: f.fileSize }
    : { path: f.path, is_dir: f.isDir };
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function firstString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function missing(name: string): MlflowError {
  return invalidParam(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
}

function tooLarge(): MlflowError {
  return invalidParam("Artifact size is too large. Max size is 10MB.");
}

/** Passes bytes through until `limit` is exceeded; errors on overflow and on an empty body. */
function sizeLimit(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, ctl) {
      seen += chunk.byteLength;
      if (seen > limit) throw tooLarge();
      ctl.enqueue(chunk);
    },
    flush() {
      if (seen === 0) throw invalidParam("Request must specify data.");
    },
  });
}
