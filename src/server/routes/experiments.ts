// Experiment endpoints (spec §3.1 #1–#9).

import * as E from "../../api/schemas/experiments.ts";
import { experimentToWire } from "../../api/wire.ts";
import type { RouteModule } from "../app.ts";
import { serve, trackingService } from "./endpoint.ts";

export const experimentRoutes: RouteModule = (api, deps) => {
  const svc = trackingService(deps);

  serve(api, E.createExperiment, async (m) => ({
    experiment_id: await svc.createExperiment(m.name, m.artifact_location, m.tags),
  }));

  serve(api, E.getExperiment, async (m) => ({
    experiment: experimentToWire(await svc.getExperiment(m.experiment_id)),
  }));

  serve(api, E.getExperimentByName, async (m) => ({
    experiment: experimentToWire(await svc.getExperimentByName(m.experiment_name)),
  }));

  serve(api, E.searchExperiments, async (m) => {
    const page = await svc.searchExperiments({
      viewType: m.view_type,
      maxResults: m.max_results,
      filter: m.filter,
      orderBy: m.order_by,
      pageToken: m.page_token,
    });
    const out: Record<string, unknown> = {};
    if (page.items.length) out.experiments = page.items.map(experimentToWire);
    if (page.nextPageToken) out.next_page_token = page.nextPageToken;
    return out;
  });

  serve(api, E.updateExperiment, async (m) => {
    await svc.renameExperiment(m.experiment_id, m.new_name);
    return {};
  });

  serve(api, E.deleteExperiment, async (m) => {
    await svc.deleteExperiment(m.experiment_id);
    return {};
  });

  serve(api, E.restoreExperiment, async (m) => {
    await svc.restoreExperiment(m.experiment_id);
    return {};
  });

  serve(api, E.setExperimentTag, async (m) => {
    await svc.setExperimentTag(m.experiment_id, { key: m.key, value: m.value });
    return {};
  });

  serve(api, E.deleteExperimentTag, async (m) => {
    await svc.deleteExperimentTag(m.experiment_id, m.key);
    return {};
  });
};
