// Loads a run's page: the run, its experiment, parent and children, and per tab the artifact root listing
// or the chart settings from the URL.

import { FsArtifactRepo } from "../../artifacts/fs-repo.ts";
import { resolveStoredArtifactDir } from "../../services/models-locations.ts";
import { isMlflowError } from "../../errors.ts";
import { LOGGED_MODELS_TAG, type TrackingService } from "../../services/tracking.ts";
import type { FileInfo } from "../../../ui/lib/wire.ts";
import { renderPage } from "../../../ui/pages/layout.tsx";
import { type RunLoggedModel, RunPage, type RunPageData, type RunTab } from "../../../ui/pages/run-page.tsx";
import { formatTime } from "../../../ui/lib/format.ts";
import { hasModelStores } from "../../store/model-store.ts";
import { loggedModelService } from "./logged-models.ts";
import { liveRegistrations } from "./ui-logged-models.tsx";
import type { AppDeps } from "../app.ts";
import { shell } from "./ui-pages.tsx";
import { PARENT_TAG } from "./ui-table.ts";
import { prefetchHistories } from "./ui-history-cache.ts";
import { parseChartView } from "../../../ui/lib/chart-view.ts";
import { isSystemMetric } from "../../../ui/lib/system-metrics.ts";

const TABS: readonly string[] = ["overview", "charts", "system", "artifacts"];
/** The charts island shows this many metrics by default (DEFAULT_CHARTS). */
const CHARTS_PREFETCHED = 6;

export async function runPageHtml(
  deps: AppDeps,
  svc: TrackingService,
  runId: string,
  url: URL,
): Promise<string> {
  const q = url.searchParams;
  let tab = (TABS.includes(q.get("tab") ?? "") ? q.get("tab") : "overview") as RunTab;
  // A chart link to system metrics only (the overview's metrics table links every key) opens their tab.
  const linked = q.get("charts")?.split(",").filter(Boolean);
  if (tab === "charts" && linked?.length && linked.every(isSystemMetric)) tab = "system";
  const run = await svc.getRun(runId);
  const exp = await svc.getExperiment(run.info.experimentId);
  const tags = run.data.tags.map((t) => ({ key: t.key, value: t.value })).sort(byKey);
  const parentId = tags.find((t) => t.key === PARENT_TAG)?.value;
  const parent = parentId ? await svc.getRun(parentId).catch(() => null) : null;
  // Run ids match ^[a-zA-Z0-9][\w-]*$ (validated by getRun), so quoting them in the filter is safe.
  const children = await svc.searchRuns({
    experimentIds: [run.info.experimentId],
    filter: `tags.\`${PARENT_TAG}\` = '${run.info.runId}'`,
    orderBy: [],
    maxResults: 200,
    viewType: "ALL",
  });
  const data: RunPageData = {
    base: deps.config.staticPrefix,
    tab,
    run: {
      id: run.info.runId,
      name: run.info.runName,
      experimentId: exp.experimentId,
      experimentName: exp.name,
      status: run.info.status,
      lifecycle: run.info.lifecycleStage,
      startTime: run.info.startTime,
      endTime: run.info.endTime,
      userId: run.info.userId,
      artifactUri: run.info.artifactUri,
    },
    params: run.data.params.map((p) => ({ key: p.key, value: p.value })).sort(byKey),
    metrics: run.data.metrics.map((m) => ({
      key: m.key,
      value: Number.isFinite(m.value) ? m.value : String(m.value),
      step: m.step,
      timestamp: m.timestamp,
    })).sort(byKey),
    tags,
    datasets: run.inputs.datasetInputs.map((d) => ({
      name: d.dataset.name,
      digest: d.dataset.digest,
      context: d.tags.find((t) => t.key === "mlflow.data.context")?.value,
      sourceType: d.dataset.sourceType,
      source: d.dataset.source,
      schema: d.dataset.schema,
      profile: d.dataset.profile,
    })),
    models: await withLoggedModelInfo(
      deps,
      loggedModels(tags.find((t) => t.key === LOGGED_MODELS_TAG)?.value, run.outputs.modelOutputs),
    ),
    modelInputs: (await withLoggedModelInfo(
      deps,
      run.inputs.modelInputs.map((m) => ({ artifactPath: "", flavors: [], modelId: m.modelId })),
    )).map((m) => ({ id: m.modelId!, name: m.name })),
    parent: parent ? { id: parent.info.runId, name: parent.info.runName } : null,
    children: children.items.map((c) => ({ id: c.info.runId, name: c.info.runName, status: c.info.status })),
    now: Date.now(),
  };
  if (tab === "artifacts") {
    data.artifacts = {
      root: await rootListing(deps, run.info.artifactUri),
      selected: q.get("path") ?? undefined,
    };
  }
  if (tab === "charts" || tab === "system") {
    // The charts tab shows model metrics, the system tab MLflow's system/... metrics.
    const system = tab === "system";
    const keys = data.metrics.map((m) => m.key).filter((k) => isSystemMetric(k) === system).sort();
    const view = parseChartView(q, system ? "time" : "step");
    prefetchHistories(
      deps,
      [run],
      (view.shown ?? keys).filter((k) => keys.includes(k)).slice(0, CHARTS_PREFETCHED),
      view.x,
    );
    data.charts = view;
  }
  return renderPage(shell(deps, run.info.runName, "run"), <RunPage {...data} />);
}

/** The top level of the run's artifacts; empty when they are not stored where this server can read. */
async function rootListing(deps: AppDeps, artifactUri: string): Promise<FileInfo[]> {
  try {
    const repo = new FsArtifactRepo(await resolveStoredArtifactDir(artifactUri, deps.config, deps.store));
    return (await repo.list()).map((f) => ({ path: f.path, is_dir: f.isDir, file_size: f.fileSize }));
  } catch (e) {
    if (isMlflowError(e)) return [];
    throw e;
  }
}

/** Name, status and registrations of the run's MLflow 3 logged models; a model gone since shows its id. */
async function withLoggedModelInfo(deps: AppDeps, models: RunLoggedModel[]): Promise<RunLoggedModel[]> {
  if (!models.some((m) => m.modelId) || !hasModelStores(deps.store)) return models;
  const svc = loggedModelService(deps);
  return await Promise.all(models.map(async (m) => {
    if (!m.modelId) return m;
    const lm = await svc.getLoggedModel(m.modelId).catch((e) => {
      if (isMlflowError(e)) return null;
      throw e;
    });
    if (!lm) return m;
    return {
      ...m,
      name: lm.name,
      status: lm.status,
      created: formatTime(lm.creationTimestamp),
      registrations: await liveRegistrations(deps, lm),
    };
  }));
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Models from the run's `mlflow.log-model.history` tag (MLflow 2 style) and its logged-model outputs. */
export function loggedModels(
  history: string | undefined,
  outputs: { modelId: string }[],
): RunPageData["models"] {
  const out: RunPageData["models"] = [];
  try {
    const list = history ? JSON.parse(history) : [];
    if (Array.isArray(list)) {
      for (const m of list) {
        if (!m || typeof m !== "object") continue;
        out.push({
          artifactPath: String(m.artifact_path ?? ""),
          flavors: m.flavors && typeof m.flavors === "object" ? Object.keys(m.flavors) : [],
          created: typeof m.utc_time_created === "string" ? m.utc_time_created.slice(0, 19) : undefined,
        });
      }
    }
  } catch { /* a hand-edited tag that is not JSON shows no models */ }
  for (const o of outputs) out.push({ artifactPath: "", flavors: [], modelId: o.modelId });
  return out;
}
