// Every tracking endpoint this project serves, for the routes and the OpenAPI document.

import type { Endpoint } from "./common.ts";
import { EXPERIMENT_ENDPOINTS } from "./experiments.ts";
import { METRIC_ENDPOINTS } from "./metrics.ts";
import { RUN_ENDPOINTS } from "./runs.ts";

export type { Endpoint, HttpMethod } from "./common.ts";

export const TRACKING_ENDPOINTS: readonly Endpoint[] = [
  ...EXPERIMENT_ENDPOINTS,
  ...RUN_ENDPOINTS,
  ...METRIC_ENDPOINTS,
];
