// Loads the logged-model pages: an experiment's logged models (newest first) and one model with its
// source run, registrations and artifact root listing.

import { modelRegistrations } from "../../api/model-wire.ts";
import { isMlflowError } from "../../errors.ts";
import type { TrackingService } from "../../services/tracking.ts";
import type { LoggedModel } from "../../store/model-types.ts";
import type { FileInfo } from "../../../ui/lib/wire.ts";
import { renderPage } from "../../../ui/pages/layout.tsx";
import {
  type LoggedModelMetric,
  LoggedModelPage,
  LoggedModelsPage,
  type LoggedModelSummary,
} from "../../../ui/pages/logged-models-page.tsx";
import type { AppDeps } from "../app.ts";
import { loggedModelService } from "./logged-models.ts";
import { registryService } from "./registry.ts";
import { shell } from "./ui-pages.tsx";

const LISTED = 1000;

export async function loggedModelsPageHtml(deps: AppDeps, svc: TrackingService, url: URL): Promise<string> {
  const id = url.searchParams.get("e") ?? "";
  const exp = await svc.getExperiment(id);
  const filter = url.searchParams.get("q") ?? "";
  let filterError: string | null = null;
  // A filter the grammar refuses shows its message above an empty list, as the runs table does.
  const page = await loggedModelService(deps).searchLoggedModels({
    experimentIds: [exp.experimentId],
    filter: filter || undefined,
    datasets: [],
    orderBy: [{ entity: "attribute", key: "creation_timestamp", ascending: false }],
    maxResults: LISTED,
  }).catch((e) => {
    if (!isMlflowError(e) || e.code !== "INVALID_PARAMETER_VALUE") throw e;
    filterError = e.message;
    return { items: [], nextPageToken: undefined };
  });
  const runs = new RunNames(svc);
  const models = await Promise.all(page.items.map(async (m) => ({
    ...await summary(m, runs),
    registrations: await liveRegistrations(deps, m),
  })));
  return renderPage(
    shell(deps, `Logged models · ${exp.name}`, "experiments"),
    <LoggedModelsPage
      base={deps.config.staticPrefix}
      experiment={{ id: exp.experimentId, name: exp.name }}
      models={models}
      more={page.nextPageToken !== undefined}
      filter={filter}
      filterError={filterError}
    />,
  );
}

export async function loggedModelPageHtml(
  deps: AppDeps,
  svc: TrackingService,
  modelId: string,
  url: URL,
): Promise<string> {
  const models = loggedModelService(deps);
  const m = await models.getLoggedModel(modelId);
  const exp = await svc.getExperiment(m.experimentId);
  const s = { ...await summary(m, new RunNames(svc)), registrations: await liveRegistrations(deps, m) };
  return renderPage(
    shell(deps, m.name, "experiments"),
    <LoggedModelPage
      {...s}
      base={deps.config.staticPrefix}
      experiment={{ id: exp.experimentId, name: exp.name }}
      updated={m.lastUpdatedTimestamp}
      modelType={m.modelType}
      statusMessage={m.statusMessage}
      artifactUri={m.artifactUri}
      tags={[...m.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))}
      artifacts={{
        root: await rootListing(deps, m),
        selected: url.searchParams.get("path") ?? undefined,
      }}
    />,
  );
}

/** Source run names, each run read once; a run deleted for good shows its id. */
class RunNames {
  #cache = new Map<string, Promise<{ id: string; name: string }>>();
  constructor(private readonly svc: TrackingService) {}

  get(id: string): Promise<{ id: string; name: string }> {
    let p = this.#cache.get(id);
    if (!p) {
      p = this.svc.getRun(id).then((r) => ({ id, name: r.info.runName || id }), (e) => {
        if (isMlflowError(e)) return { id, name: id };
        throw e;
      });
      this.#cache.set(id, p);
    }
    return p;
  }
}

async function summary(m: LoggedModel, runs: RunNames): Promise<Omit<LoggedModelSummary, "registrations">> {
  return {
    id: m.modelId,
    name: m.name,
    status: m.status,
    created: m.creationTimestamp,
    sourceRun: m.sourceRunId ? await runs.get(m.sourceRunId) : null,
    metrics: m.metrics.map((x): LoggedModelMetric => ({
      key: x.key,
      value: Number.isFinite(x.value) ? x.value : String(x.value),
      step: x.step,
      timestamp: x.timestamp,
      dataset: x.datasetName
        ? `${x.datasetName}${x.datasetDigest ? ` (${x.datasetDigest})` : ""}`
        : undefined,
    })),
    params: m.params.map((p) => ({ key: p.key, value: p.value })),
  };
}

/**
 * The versions registered from a model that still exist: the model's `mlflow.modelVersions` tag keeps
 * versions deleted since.
 */
export async function liveRegistrations(
  deps: AppDeps,
  m: LoggedModel,
): Promise<{ name: string; version: string }[]> {
  const registry = registryService(deps);
  const found = await Promise.all(
    modelRegistrations(m).map((r) =>
      registry.getModelVersion(r.name, r.version).then(
        (v) => (v.modelId === undefined || v.modelId === m.modelId ? r : null),
        (e) => {
          if (isMlflowError(e)) return null;
          throw e;
        },
      )
    ),
  );
  return found.filter((r) => r !== null);
}

/** The model's top-level artifacts; empty when they are not stored where this server can read. */
async function rootListing(deps: AppDeps, m: LoggedModel): Promise<FileInfo[]> {
  try {
    const repo = await loggedModelService(deps).artifactRepo(m);
    return (await repo.list()).map((f) => ({ path: f.path, is_dir: f.isDir, file_size: f.fileSize }));
  } catch (e) {
    if (isMlflowError(e)) return [];
    throw e;
  }
}
