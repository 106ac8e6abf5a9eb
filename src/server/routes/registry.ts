// Model registry endpoints (spec §13.2 #55–#75) and `/model-versions/get-artifact` (#32).

import type { Context, Hono } from "hono";
import type { z } from "zod";
import * as S from "../../api/schemas/registry.ts";
import { jsonResponse } from "../../api/json.ts";
import { documentRoute } from "../../api/route-docs.ts";
import { modelVersionToWire, registeredModelToWire } from "../../api/model-wire.ts";
import { artifactResponse } from "../../artifacts/download.ts";
import { validatePathIsSafe } from "../../artifacts/paths.ts";
import { invalidParam, MlflowError } from "../../errors.ts";
import { RegistryService } from "../../services/registry.ts";
import { hasModelStores } from "../../store/model-store.ts";
import type { AppDeps, RootModule, RouteModule } from "../app.ts";
import { queryObject, readMessage } from "../request.ts";

const services = new WeakMap<AppDeps, RegistryService>();

export function registryService(deps: AppDeps): RegistryService {
  let svc = services.get(deps);
  if (!svc) {
    if (!hasModelStores(deps.store)) {
      throw new MlflowError("NOT_IMPLEMENTED", "This backend store does not support the model registry.");
    }
    svc = new RegistryService(deps.store, deps.config);
    services.set(deps, svc);
  }
  return svc;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export const registryRoutes: RouteModule = (api, deps) => {
  const on = <Sc extends z.ZodType>(
    methods: Method[],
    path: string,
    schema: Sc,
    handler: (m: z.output<Sc>, svc: RegistryService) => Promise<unknown>,
  ) => {
    for (const method of methods) {
      documentRoute({ method, path, request: schema });
      (api as Hono).on(method, path, async (c: Context) => {
        const svc = registryService(deps);
        return jsonResponse(await handler(await readMessage(c, schema), svc));
      });
    }
  };
  const rm = async (p: Promise<Parameters<typeof registeredModelToWire>[0]>) => ({
    registered_model: registeredModelToWire(await p),
  });
  const mv = async (p: Promise<Parameters<typeof modelVersionToWire>[0]>) => ({
    model_version: modelVersionToWire(await p),
  });
  const done = async (p: Promise<void>) => {
    await p;
    return {};
  };

  // ---- registered models
  on(
    ["POST"],
    "/registered-models/create",
    S.createRegisteredModel,
    (m, svc) => rm(svc.createRegisteredModel(m.name, m.tags, m.description)),
  );
  on(["GET"], "/registered-models/get", S.nameOnly, (m, svc) => rm(svc.getRegisteredModel(m.name)));
  on(
    ["POST"],
    "/registered-models/rename",
    S.renameRegisteredModel,
    (m, svc) => rm(svc.renameRegisteredModel(m.name, m.new_name)),
  );
  on(
    ["PATCH"],
    "/registered-models/update",
    S.updateRegisteredModel,
    (m, svc) => rm(svc.updateRegisteredModel(m.name, m.description)),
  );
  on(
    ["DELETE"],
    "/registered-models/delete",
    S.nameOnly,
    (m, svc) => done(svc.deleteRegisteredModel(m.name)),
  );
  on(["GET"], "/registered-models/search", S.searchRegisteredModels, async (m, svc) => {
    const page = await svc.searchRegisteredModels({
      filter: m.filter,
      maxResults: m.max_results,
      orderBy: m.order_by,
      pageToken: m.page_token,
    });
    const out: Record<string, unknown> = {};
    if (page.items.length) out.registered_models = page.items.map(registeredModelToWire);
    if (page.nextPageToken) out.next_page_token = page.nextPageToken;
    return out;
  });
  on(["POST", "GET"], "/registered-models/get-latest-versions", S.getLatestVersions, async (m, svc) => {
    const versions = await svc.getLatestVersions(m.name, m.stages);
    return versions.length ? { model_versions: versions.map(modelVersionToWire) } : {};
  });
  on(
    ["POST"],
    "/registered-models/set-tag",
    S.setRegisteredModelTag,
    (m, svc) => done(svc.setRegisteredModelTag(m.name, { key: m.key, value: m.value })),
  );
  on(
    ["DELETE"],
    "/registered-models/delete-tag",
    S.deleteRegisteredModelTag,
    (m, svc) => done(svc.deleteRegisteredModelTag(m.name, m.key)),
  );
  on(
    ["POST"],
    "/registered-models/alias",
    S.setAlias,
    (m, svc) => done(svc.setAlias(m.name, m.alias, m.version)),
  );
  on(["DELETE"], "/registered-models/alias", S.aliasOnly, (m, svc) => done(svc.deleteAlias(m.name, m.alias)));
  on(
    ["GET"],
    "/registered-models/alias",
    S.aliasOnly,
    (m, svc) => mv(svc.getModelVersionByAlias(m.name, m.alias)),
  );

  // ---- model versions
  on(["POST"], "/model-versions/create", S.createModelVersion, (m, svc) =>
    mv(svc.createModelVersion({
      name: m.name,
      source: m.source,
      runId: m.run_id,
      modelId: m.model_id,
      runLink: m.run_link,
      description: m.description,
      tags: m.tags,
    })));
  on(["GET"], "/model-versions/get", S.versionRef, (m, svc) => mv(svc.getModelVersion(m.name, m.version)));
  on(
    ["PATCH"],
    "/model-versions/update",
    S.updateModelVersion,
    (m, svc) => mv(svc.updateModelVersion(m.name, m.version, m.description)),
  );
  on(
    ["POST"],
    "/model-versions/transition-stage",
    S.transitionStage,
    (m, svc) => mv(svc.transitionStage(m.name, m.version, m.stage, m.archive_existing_versions ?? false)),
  );
  on(
    ["DELETE"],
    "/model-versions/delete",
    S.versionRef,
    (m, svc) => done(svc.deleteModelVersion(m.name, m.version)),
  );
  on(["GET"], "/model-versions/get-download-uri", S.versionRef, async (m, svc) => ({
    artifact_uri: await svc.getDownloadUri(m.name, m.version),
  }));
  on(["GET"], "/model-versions/search", S.searchModelVersions, async (m, svc) => {
    const page = await svc.searchModelVersions({
      filter: m.filter,
      maxResults: m.max_results,
      orderBy: m.order_by,
      pageToken: m.page_token,
    });
    const out: Record<string, unknown> = {};
    if (page.items.length) out.model_versions = page.items.map(modelVersionToWire);
    if (page.nextPageToken) out.next_page_token = page.nextPageToken;
    return out;
  });
  on(
    ["POST"],
    "/model-versions/set-tag",
    S.setModelVersionTag,
    (m, svc) => done(svc.setModelVersionTag(m.name, m.version, { key: m.key, value: m.value })),
  );
  on(
    ["DELETE"],
    "/model-versions/delete-tag",
    S.deleteModelVersionTag,
    (m, svc) => done(svc.deleteModelVersionTag(m.name, m.version, m.key)),
  );
};

/** `GET /model-versions/get-artifact?name=&version=&path=`: one file of a version, from the roots only. */
export const registryRootRoutes: RootModule = (root, deps) => {
  root.get("/model-versions/get-artifact", async (c) => {
    const q = queryObject(c.req.url);
    const first = (k: string) => (Array.isArray(q[k]) ? q[k][0] : q[k]) as string | undefined;
    const [name, version, rawPath] = [first("name"), first("version"), first("path")];
    for (const [k, v] of [["name", name], ["version", version], ["path", rawPath]]) {
      if (!v) {
        throw invalidParam(
          `Missing value for required parameter '${k}'. See the API docs for more information about request ` +
            "parameters.",
        );
      }
    }
    const path = validatePathIsSafe(rawPath!);
    const repo = await registryService(deps).artifactRepo(name!, version!);
    return artifactResponse(await repo.open(path), path, c.req.method === "HEAD");
  });
};
