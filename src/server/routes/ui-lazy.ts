// The web UI's routes, loaded on the first UI request. Its pages, SSR renderer and embedded client bundle
// cost start-up time and ~20 MB of memory that an API-only server (training jobs, CI) never needs.

import { Hono } from "hono";
import { errorResponse, type RootModule } from "../app.ts";
import { STATIC_PREFIX, UI_API } from "./ui-paths.ts";

/** Every path the UI module serves (relative to the static prefix); keep in step with ui.ts. */
const UI_PATHS = [
  "/",
  "/runs/:runId",
  "/compare",
  "/models",
  "/models/:name",
  "/models/:name/versions/:version",
  "/logged-models",
  "/logged-models/:modelId",
  `${STATIC_PREFIX}/:name`,
  `${UI_API}/*`,
];

export const lazyUiRoutes: RootModule = (root, deps) => {
  let ui: Promise<Hono> | undefined;
  const load = () =>
    ui ??= import("./ui.ts").then(({ uiRoutes }) => {
      const app = new Hono();
      app.onError((e, c) => errorResponse(c, e));
      uiRoutes(app, deps);
      return app;
    });
  for (const path of UI_PATHS) {
    root.all(path, async (c) => {
      const app = await load();
      const url = new URL(c.req.url);
      url.pathname = url.pathname.slice(deps.config.staticPrefix.length) || "/";
      // Method, headers and body only: copying the whole Request would read its `signal`, which makes
      // Deno print a warning about its legacy abort behaviour on every start.
      const raw = c.req.raw;
      const init: RequestInit & { duplex?: "half" } = { method: raw.method, headers: raw.headers };
      if (raw.body) Object.assign(init, { body: raw.body, duplex: "half" });
      return app.fetch(new Request(url, init));
    });
  }
};
