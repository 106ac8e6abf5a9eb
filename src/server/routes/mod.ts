// All route modules of the tracking surface, for createApp(deps, trackingRoutes()).

import type { RootModule, RouteModule } from "../app.ts";
import { artifactApiRoutes, artifactRootRoutes } from "./artifacts.ts";
import { datasetRootRoutes } from "./datasets.ts";
import { experimentRoutes } from "./experiments.ts";
import { loggedModelRootRoutes, loggedModelRoutes } from "./logged-models.ts";
import { metricAjaxRoutes, metricRoutes } from "./metrics.ts";
import { registryRootRoutes, registryRoutes } from "./registry.ts";
import { runRoutes } from "./runs.ts";
import { openApiRoutes, unsupportedRoutes } from "./system.ts";
import { lazyUiRoutes } from "./ui-lazy.ts";

export function trackingRoutes(): { api: RouteModule[]; root: RootModule[] } {
  return {
    api: [
      experimentRoutes,
      runRoutes,
      metricRoutes,
      unsupportedRoutes,
      // Artifacts (owned by the artifacts module): artifacts/list.
      artifactApiRoutes,
      // Models (owned by the models module): logged models and the registry.
      loggedModelRoutes,
      registryRoutes,
    ],
    root: [
      metricAjaxRoutes,
      openApiRoutes,
      // Artifacts (owned by the artifacts module): /get-artifact, upload-artifact, mlflow-artifacts proxy.
      artifactRootRoutes,
      loggedModelRootRoutes,
      registryRootRoutes,
      datasetRootRoutes,
      // Web UI (owned by the UI module): pages, assets, /ajax-api/2.0/tracker. Last, so the API wins.
      lazyUiRoutes,
    ],
  };
}
