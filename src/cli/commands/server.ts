// `tracker server`: the tracking server, optionally with several Workers sharing the port.

import { SERVER_OPTIONS } from "../server-options.ts";
import { trackingServerCommand } from "./serve-command.ts";

export const serverCommand = trackingServerCommand(
  "server",
  "Run the tracking server (REST API, artifacts, UI).",
  "Run the MLflow-compatible tracking server. Point clients at it with " +
    "MLFLOW_TRACKING_URI=http://<host>:<port>.",
  SERVER_OPTIONS,
);
