// Metric endpoints: log-metric (#16), history (#24), bulk-interval (#25) and the UI's bulk history (#28).

import * as M from "../../api/schemas/metrics.ts";
import { RawJson } from "../../api/json.ts";
import { metricListJson } from "../../api/wire.ts";
import type { RootModule, RouteModule } from "../app.ts";
import { metricFromWire } from "./convert.ts";
import { serve, serveAjax, trackingService } from "./endpoint.ts";

export const metricRoutes: RouteModule = (api, deps) => {
  const svc = trackingService(deps);

  serve(api, M.logMetric, async (m) => {
    await svc.logMetric(m.run_id, metricFromWire(m));
    return {};
  });

  serve(api, M.getMetricHistory, async (m) => {
    const page = await svc.getMetricHistory(m.run_id, m.metric_key, {
      maxResults: m.max_results,
      pageToken: m.page_token,
    });
    const fields: string[] = [];
    if (page.items.length) fields.push(`"metrics":${metricListJson(page.items)}`);
    if (page.nextPageToken) fields.push(`"next_page_token":${JSON.stringify(page.nextPageToken)}`);
    return new RawJson(`{${fields.join(",")}}`);
  });

  serve(api, M.getMetricHistoryBulkInterval, async (m) => {
    const points = await svc.getMetricHistoryBulkInterval(m.run_ids, m.metric_key, {
      startStep: m.start_step,
      endStep: m.end_step,
      maxResults: m.max_results,
    });
    return new RawJson(points.length ? `{"metrics":${metricListJson(points)}}` : "{}");
  });
};

/** MLflow serves get-history-bulk only under the ajax prefix. */
export const metricAjaxRoutes: RootModule = (root, deps) => {
  const svc = trackingService(deps);
  serveAjax(root, M.getMetricHistoryBulk, async (m) => {
    const points = await svc.getMetricHistoryBulk(m.run_id, m.metric_key, m.max_results);
    return new RawJson(`{"metrics":${metricListJson(points)}}`);
  });
};
