// Logged-model endpoints (MLflow 3, spec §3.5 #38–#46) and the UI's artifact download of a logged model
// (#33). Path parameters join the request message before validation, so `model_id` is checked the same
// way wherever it comes from.

import type { Context, Hono } from "hono";
import { z } from "zod";
import * as S from "../../api/schemas/logged-models.ts";
import { describeIssue } from "../../api/fields.ts";
import { jsonResponse } from "../../api/json.ts";
import { documentRoute } from "../../api/route-docs.ts";
import { loggedModelToWire } from "../../api/model-wire.ts";
import { artifactResponse } from "../../artifacts/download.ts";
import type { FileInfo } from "../../artifacts/fs-repo.ts";
import { validatePathIsSafe } from "../../artifacts/paths.ts";
import { invalidParam, MlflowError } from "../../errors.ts";
import { parseDatasetRefs, parseLoggedModelOrder } from "../../search/parse-logged-models.ts";
import { LoggedModelService } from "../../services/models.ts";
import { hasModelStores } from "../../store/model-store.ts";
import type { AppDeps, RootModule, RouteModule } from "../app.ts";
import { queryObject, readMessage } from "../request.ts";
import { AJAX_PREFIX } from "./endpoint.ts";

const services = new WeakMap<AppDeps, LoggedModelService>();

/** One service per app; a backend without model stores answers NOT_IMPLEMENTED. */
export function loggedModelService(deps: AppDeps): LoggedModelService {
  let svc = services.get(deps);
  if (!svc) {
    if (!hasModelStores(deps.store)) {
      throw new MlflowError("NOT_IMPLEMENTED", "This backend store does not support logged models.");
    }
    svc = new LoggedModelService(deps.store, deps.config);
    services.set(deps, svc);
  }
  return svc;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

const anyObject = z.record(z.string(), z.unknown());

/** Registers a JSON endpoint whose message is the body/query plus the route's path parameters. */
function route<S extends z.ZodType>(
  api: Hono,
  method: Method,
  path: string,
  schema: S,
  handler: (msg: z.output<S>, svc: LoggedModelService) => Promise<unknown>,
  deps: AppDeps,
) {
  documentRoute({ method, path, request: schema });
  api.on(method, path, async (c: Context) => {
    const svc = loggedModelService(deps);
    // Path parameters win over body fields of the same name (the client sends both, equal).
    const raw = { ...await readMessage(c, anyObject), ...c.req.param() };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw invalidParam(describeIssue(parsed.error.issues[0], raw));
    return jsonResponse(await handler(parsed.data, svc));
  });
}

export const loggedModelRoutes: RouteModule = (api, deps) => {
  route(api, "POST", "/logged-models/search", S.searchLoggedModels, async (m, svc) => {
    const page = await svc.searchLoggedModels({
      experimentIds: m.experiment_ids,
      filter: m.filter,
      datasets: parseDatasetRefs(m.datasets),
      orderBy: parseLoggedModelOrder(m.order_by),
      maxResults: m.max_results,
      pageToken: m.page_token,
    });
    const out: Record<string, unknown> = {};
    if (page.items.length) out.models = page.items.map(loggedModelToWire);
    if (page.nextPageToken) out.next_page_token = page.nextPageToken;
    return out;
  }, deps);

  route(api, "POST", "/logged-models", S.createLoggedModel, async (m, svc) => ({
    model: loggedModelToWire(
      await svc.createLoggedModel({
        experimentId: m.experiment_id,
        name: m.name,
        modelType: m.model_type,
        sourceRunId: m.source_run_id,
        params: m.params,
        tags: m.tags,
      }),
    ),
  }), deps);

  route(api, "GET", "/logged-models/:model_id", S.getLoggedModel, async (m, svc) => ({
    model: loggedModelToWire(await svc.getLoggedModel(m.model_id, m.allow_deleted ?? false)),
  }), deps);

  route(api, "PATCH", "/logged-models/:model_id", S.finalizeLoggedModel, async (m, svc) => ({
    model: loggedModelToWire(await svc.finalizeLoggedModel(m.model_id, m.status)),
  }), deps);

  route(api, "DELETE", "/logged-models/:model_id", S.modelIdOnly, async (m, svc) => {
    await svc.deleteLoggedModel(m.model_id);
    return {};
  }, deps);

  route(api, "PATCH", "/logged-models/:model_id/tags", S.setLoggedModelTags, async (m, svc) => {
    await svc.setLoggedModelTags(m.model_id, m.tags);
    return {};
  }, deps);

  route(
    api,
    "DELETE",
    "/logged-models/:model_id/tags/:tag_key{.+}",
    S.deleteLoggedModelTag,
    async (m, svc) => {
      await svc.deleteLoggedModelTag(m.model_id, m.tag_key);
      return {};
    },
    deps,
  );

  route(api, "POST", "/logged-models/:model_id/params", S.logLoggedModelParams, async (m, svc) => {
    await svc.logLoggedModelParams(m.model_id, m.params);
    return {};
  }, deps);

  route(
    api,
    "GET",
    "/logged-models/:model_id/artifacts/directories",
    S.listLoggedModelArtifacts,
    async (m, svc) => {
      const dir = m.artifact_directory_path === undefined
        ? undefined
        : validatePathIsSafe(m.artifact_directory_path);
      const { model, files } = await svc.listArtifacts(m.model_id, dir);
      const out: Record<string, unknown> = { root_uri: model.artifactUri };
      if (files.length) out.files = files.map(fileInfoToWire);
      return out;
    },
    deps,
  );
};

/** The UI's download of one file of a logged model (served from the ajax prefix only). */
export const loggedModelRootRoutes: RootModule = (root, deps) => {
  root.get(`${AJAX_PREFIX}/logged-models/:model_id/artifacts/files`, async (c) => {
    const svc = loggedModelService(deps);
    const q = queryObject(c.req.url);
    const raw = Array.isArray(q.artifact_file_path) ? q.artifact_file_path[0] : q.artifact_file_path;
    if (!raw) {
      throw new MlflowError("BAD_REQUEST", 'Request must include the "artifact_file_path" query parameter.');
    }
    const path = validatePathIsSafe(raw);
    const model = await svc.getLoggedModel(c.req.param("model_id"));
    const repo = await svc.artifactRepo(model);
    return artifactResponse(await repo.open(path), path, c.req.method === "HEAD");
  });
};

function fileInfoToWire(f: FileInfo): Record<string, unknown> {
  return f.fileSize
    ? { path: f.path, is_dir: f.isDir, file_size: f.fileSize }
    : { path: f.path, is_dir: f.isDir };
}
