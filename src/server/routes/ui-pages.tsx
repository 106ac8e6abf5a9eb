// Loads what each UI page shows and renders it to HTML. Pages are small: the runs table sends its first
// window of rows with only the shown columns; the rest streams in through /ajax-api/2.0/tracker.

import { experimentToWire } from "../../api/wire.ts";
import { isMlflowError } from "../../errors.ts";
import type { TrackingService } from "../../services/tracking.ts";
import type { Experiment } from "../../store/types.ts";
import { type Column, DEFAULT_ATTRIBUTES, parseColumnId } from "../../../ui/lib/columns.ts";
import { parseRunsView } from "../../../ui/lib/view-state.ts";
import type { WireExperiment } from "../../../ui/lib/wire.ts";
import { ExperimentsPage } from "../../../ui/pages/experiments-page.tsx";
import { renderPage } from "../../../ui/pages/layout.tsx";
import { MessagePage } from "../../../ui/pages/message-page.tsx";
import { ModelPage, ModelsPage, ModelVersionPage } from "../../../ui/pages/models-page.tsx";
import type { AppDeps } from "../app.ts";
import { assetUrls } from "./ui-assets.ts";
import { runKeys, snapshotsFor, tableWindow } from "./ui-table.ts";
import type { TableWindow } from "../../../ui/lib/wire.ts";

export const FIRST_WINDOW = 200;
const DEFAULT_METRIC_COLUMNS = 8;
const DEFAULT_PARAM_COLUMNS = 8;
const VIEW_TYPES = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" } as const;

export function shell(deps: AppDeps, title: string, nav?: "experiments" | "run" | "compare" | "models") {
  const base = deps.config.staticPrefix;
  return { base, title, assets: assetUrls(base), nav };
}

export function notFoundPageHtml(base: string, message: string): string {
  return renderPage(
    { base, title: "Not found", assets: assetUrls(base) },
    <MessagePage title="Not found" message={message} base={base} />,
  );
}

async function listExperiments(svc: TrackingService, showDeleted: boolean): Promise<Experiment[]> {
  const out: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await svc.searchExperiments({
      viewType: showDeleted ? "ALL" : "ACTIVE_ONLY",
      maxResults: 50000,
      orderBy: [],
      pageToken,
    });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

/** Attributes plus the first metrics and params by name; an experiment column when several are shown. */
export function defaultColumns(keys: { metrics: string[]; params: string[] }, multi: boolean): Column[] {
  const attrs = multi
    ? [...DEFAULT_ATTRIBUTES.slice(0, 1), "experiment", ...DEFAULT_ATTRIBUTES.slice(1)]
    : DEFAULT_ATTRIBUTES;
  return [
    ...attrs.map((key) => ({ kind: "a" as const, key })),
    ...keys.metrics.slice(0, DEFAULT_METRIC_COLUMNS).map((key) => ({ kind: "m" as const, key })),
    ...keys.params.slice(0, DEFAULT_PARAM_COLUMNS).map((key) => ({ kind: "p" as const, key })),
  ];
}

export async function experimentsPageHtml(deps: AppDeps, svc: TrackingService, url: URL): Promise<string> {
  const base = deps.config.staticPrefix;
  const showDeleted = url.searchParams.get("deleted") === "1";
  const state = parseRunsView(url.searchParams);
  const experiments = await listExperiments(svc, showDeleted);
  let selected: Experiment[] = [];
  if (state.experimentIds.length) {
    for (const id of state.experimentIds) {
      const e = await svc.getExperiment(id).catch((err) => {
        if (isMlflowError(err) && err.code === "RESOURCE_DOES_NOT_EXIST") return null;
        throw err;
      });
      if (e) selected.push(e);
    }
  } else {
    const first = experiments.find((e) => e.lifecycleStage === "active");
    if (first) selected = [first];
  }
  const ids = selected.map((e) => e.experimentId);
  let runs = null;
  if (ids.length) {
    const keys = await runKeys(svc, ids);
    const defaults = defaultColumns(keys, ids.length > 1);
    const columns = state.columns ?? defaults;
    let initial: TableWindow | null = null;
    let initialError: string | null = null;
    try {
      initial = await tableWindow(
        svc,
        deps.store,
        snapshotsFor(deps),
        {
          experimentIds: ids,
          filter: state.filter,
          viewType: VIEW_TYPES[state.view],
          sort: parseColumnId(state.sort),
          asc: state.asc,
          expanded: state.expanded,
        },
        columns,
        0,
        FIRST_WINDOW,
      );
    } catch (e) {
      if (!isMlflowError(e) || e.code !== "INVALID_PARAMETER_VALUE") throw e;
      initialError = e.message;
    }
    runs = {
      base,
      state: { ...state, experimentIds: ids, columns },
      defaultColumns: defaults,
      customColumns: state.columns !== null,
      initial,
      initialError,
    };
  }
  const title = selected.length === 1 ? selected[0].name : "Experiments";
  return renderPage(
    shell(deps, title, "experiments"),
    <ExperimentsPage
      base={base}
      sidebar={experiments.map((e) => ({
        id: e.experimentId,
        name: e.name,
        deleted: e.lifecycleStage === "deleted",
      }))}
      showDeleted={showDeleted}
      selected={selected.map((e) => experimentToWire(e) as unknown as WireExperiment)}
      runs={runs}
    />,
  );
}

export function modelsPageHtml(deps: AppDeps): string {
  return renderPage(
    shell(deps, "Registered models", "models"),
    <ModelsPage base={deps.config.staticPrefix} />,
  );
}

export function modelPageHtml(deps: AppDeps, name: string): string {
  return renderPage(shell(deps, name, "models"), <ModelPage base={deps.config.staticPrefix} name={name} />);
}

export function modelVersionPageHtml(deps: AppDeps, name: string, version: string): string {
  return renderPage(
    shell(deps, `${name} v${version}`, "models"),
    <ModelVersionPage base={deps.config.staticPrefix} name={name} version={version} />,
  );
}
