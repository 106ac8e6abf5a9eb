// The web UI as a root module: server-rendered pages with hydrated Preact islands, the embedded client
// bundle and stylesheet, and the UI's JSON endpoints. Registered after the REST routes, and on paths the
// REST API does not use, so the API always wins.

import type { Context } from "hono";
import type { RootModule } from "../app.ts";
import { errorResponse } from "../app.ts";
import { isMlflowError } from "../../errors.ts";
import { assetByName, STATIC_PREFIX } from "./ui-assets.ts";
import { uiApiRoutes } from "./ui-api.ts";
import { comparePageHtml } from "./ui-compare-page.tsx";
import {
  experimentsPageHtml,
  modelPageHtml,
  modelsPageHtml,
  modelVersionPageHtml,
  notFoundPageHtml,
} from "./ui-pages.tsx";
import { loggedModelPageHtml, loggedModelsPageHtml } from "./ui-logged-models.tsx";
import { runPageHtml } from "./ui-run-page.tsx";
import { trackingService } from "./endpoint.ts";

/** Strict: scripts only from our origin (no inline), no plugins, frames only our own sandboxed previews. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src-elem 'self'",
  // Style attributes carry row offsets and widths of the virtual grid; they cannot run script.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
].join("; ");

function htmlResponse(html: string, status = 200): Response {
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": PAGE_CSP,
      "Cache-Control": "no-store",
      "Referrer-Policy": "same-origin",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export const uiRoutes: RootModule = (root, deps) => {
  const svc = trackingService(deps);
  const base = deps.config.staticPrefix;
  uiApiRoutes(root, deps);

  root.get(`${STATIC_PREFIX}/:name`, (c) => {
    const asset = assetByName(c.req.param("name"));
    if (!asset) return c.text("Not found", 404);
    return new Response(asset.body, {
      headers: {
        "Content-Type": asset.type,
        // The name holds the content hash: a changed file gets a new URL.
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });

  const page = (render: (c: Context) => Promise<string>) => async (c: Context) => {
    try {
      return htmlResponse(await render(c));
    } catch (e) {
      if (
        isMlflowError(e) && (e.code === "RESOURCE_DOES_NOT_EXIST" || e.code === "INVALID_PARAMETER_VALUE")
      ) {
        return htmlResponse(
          notFoundPageHtml(base, e.message),
          e.code === "RESOURCE_DOES_NOT_EXIST" ? 404 : 400,
        );
      }
      return errorResponse(c, e);
    }
  };

  root.get("/", page((c) => experimentsPageHtml(deps, svc, new URL(c.req.url))));
  root.get(
    "/runs/:runId",
    page((c) => runPageHtml(deps, svc, c.req.param("runId") ?? "", new URL(c.req.url))),
  );
  root.get("/compare", page((c) => comparePageHtml(deps, svc, new URL(c.req.url))));
  root.get("/models", page(() => Promise.resolve(modelsPageHtml(deps))));
  root.get("/models/:name", page((c) => Promise.resolve(modelPageHtml(deps, c.req.param("name") ?? ""))));
  root.get(
    "/models/:name/versions/:version",
    page((c) =>
      Promise.resolve(modelVersionPageHtml(deps, c.req.param("name") ?? "", c.req.param("version") ?? ""))
    ),
  );
  // Logged models live under their own path: /models/<name> holds registered models.
  root.get("/logged-models", page((c) => loggedModelsPageHtml(deps, svc, new URL(c.req.url))));
  root.get(
    "/logged-models/:modelId",
    page((c) => loggedModelPageHtml(deps, svc, c.req.param("modelId") ?? "", new URL(c.req.url))),
  );
};
