// `tracker ui`: the same server as `tracker server`, always in one thread (no --workers).

import { UI_OPTIONS } from "../server-options.ts";
import { trackingServerCommand } from "./serve-command.ts";

export const uiCommand = trackingServerCommand(
  "ui",
  "Run the tracking server in one thread (for local use).",
  "Run the tracking server and its UI in a single thread. Same options as " +
    "'tracker server' except --workers.",
  UI_OPTIONS,
);
