// Run endpoints (spec §3.2 #10–#15, #17–#23).

import * as R from "../../api/schemas/runs.ts";
import { runInfoToWire, runToWire } from "../../api/wire.ts";
import type { RouteModule } from "../app.ts";
import { datasetInputFromWire, metricFromWire } from "./convert.ts";
import { serve, trackingService } from "./endpoint.ts";

export const runRoutes: RouteModule = (api, deps) => {
  const svc = trackingService(deps);

  serve(api, R.createRun, async (m) => ({
    run: runToWire(
      await svc.createRun({
        experimentId: m.experiment_id,
        userId: m.user_id,
        runName: m.run_name,
        startTime: m.start_time,
        tags: m.tags,
      }),
    ),
  }));

  serve(api, R.getRun, async (m) => ({ run: runToWire(await svc.getRun(m.run_id)) }));

  serve(api, R.updateRun, async (m) => ({
    run_info: runInfoToWire(
      await svc.updateRun(m.run_id, { status: m.status, endTime: m.end_time, runName: m.run_name }),
    ),
  }));

  serve(api, R.deleteRun, async (m) => {
    await svc.deleteRun(m.run_id);
    return {};
  });

  serve(api, R.restoreRun, async (m) => {
    await svc.restoreRun(m.run_id);
    return {};
  });

  serve(api, R.searchRuns, async (m) => {
    const page = await svc.searchRuns({
      experimentIds: m.experiment_ids,
      viewType: m.run_view_type,
      maxResults: m.max_results,
      filter: m.filter,
      orderBy: m.order_by,
      pageToken: m.page_token,
    });
    const out: Record<string, unknown> = {};
    if (page.items.length) out.runs = page.items.map(runToWire);
    if (page.nextPageToken) out.next_page_token = page.nextPageToken;
    return out;
  });

  serve(api, R.logParam, async (m) => {
    await svc.logParam(m.run_id, { key: m.key, value: m.value });
    return {};
  });

  serve(api, R.setTag, async (m) => {
    await svc.setTag(m.run_id, { key: m.key, value: m.value });
    return {};
  });

  serve(api, R.deleteTag, async (m) => {
    await svc.deleteTag(m.run_id, m.key);
    return {};
  });

  serve(api, R.logBatch, async (m) => {
    await svc.logBatch(m.run_id, m.metrics.map(metricFromWire), m.params, m.tags);
    return {};
  });

  serve(api, R.logModel, async (m) => {
    await svc.logModel(m.run_id, m.model_json);
    return {};
  });

  serve(api, R.logInputs, async (m) => {
    await svc.logInputs(
      m.run_id,
      m.datasets.map(datasetInputFromWire),
      m.models.map((x) => ({ modelId: x.model_id })),
    );
    return {};
  });

  serve(api, R.logOutputs, async (m) => {
    await svc.logOutputs(m.run_id, m.models.map((x) => ({ modelId: x.model_id, step: x.step })));
    return {};
  });
};
