// Loads the compare page: the runs named in ?runs=a,b,c (up to 100, as the bulk metric endpoints allow).

import { isMlflowError } from "../../errors.ts";
import type { TrackingService } from "../../services/tracking.ts";
import type { Run } from "../../store/types.ts";
import { colorFor } from "../../../ui/lib/colors.ts";
import { ComparePage } from "../../../ui/pages/compare-page.tsx";
import { renderPage } from "../../../ui/pages/layout.tsx";
import type { AppDeps } from "../app.ts";
import { shell } from "./ui-pages.tsx";
import { prefetchHistories } from "./ui-history-cache.ts";
import { parseChartView } from "../../../ui/lib/chart-view.ts";
import { isSystemMetric } from "../../../ui/lib/system-metrics.ts";

const MAX_COMPARE = 100;
/** The charts island shows this many metrics by default. */
const CHARTS_PREFETCHED = 6;

export async function comparePageHtml(deps: AppDeps, svc: TrackingService, url: URL): Promise<string> {
  const q = url.searchParams;
  const ids = [...new Set((q.get("runs") ?? "").split(",").map((s) => s.trim()).filter(Boolean))].slice(
    0,
    MAX_COMPARE,
  );
  const runs: Run[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    try {
      runs.push(await svc.getRun(id));
    } catch (e) {
      if (!isMlflowError(e)) throw e;
      missing.push(id);
    }
  }
  const expNames = new Map<string, string>();
  for (const r of runs) {
    if (!expNames.has(r.info.experimentId)) {
      expNames.set(r.info.experimentId, (await svc.getExperiment(r.info.experimentId)).name);
    }
  }
  const keys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].filter((k) =>
    !isSystemMetric(k)
  ).sort();
  const view = parseChartView(q);
  const shown = view.shown?.filter((k) => keys.includes(k));
  prefetchHistories(deps, runs, (shown?.length ? shown : keys).slice(0, CHARTS_PREFETCHED), view.x);
  return renderPage(
    shell(deps, "Compare runs", "compare"),
    <ComparePage
      base={deps.config.staticPrefix}
      missing={missing}
      runs={runs.map((r) => ({
        id: r.info.runId,
        name: r.info.runName,
        color: colorFor(r.info.runId),
        running: r.info.status === "RUNNING",
        experimentName: expNames.get(r.info.experimentId) ?? "",
        params: Object.fromEntries(r.data.params.map((p) => [p.key, p.value])),
        metrics: Object.fromEntries(
          r.data.metrics.map((m) => [m.key, Number.isFinite(m.value) ? m.value : String(m.value)]),
        ),
        tags: Object.fromEntries(r.data.tags.map((t) => [t.key, t.value])),
      }))}
      charts={view}
    />,
  );
}
