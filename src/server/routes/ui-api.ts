// The UI's own JSON endpoints under /ajax-api/2.0/tracker: the runs table (only shown columns, a window of
// rows), the keys for the column chooser, downsampled chart series, and inline artifact previews.
// Everything else the UI does goes through the MLflow REST API like any client.

import type { Hono } from "hono";
import { z } from "zod";
import { repeated, reqStr, str } from "../../api/fields.ts";
import { jsonResponse } from "../../api/json.ts";
import { guessMimeType } from "../../artifacts/mime.ts";
import { FsArtifactRepo } from "../../artifacts/fs-repo.ts";
import { validatePathIsSafe } from "../../artifacts/paths.ts";
import { resolveStoredArtifactDir } from "../../services/models-locations.ts";
import { invalidParam } from "../../errors.ts";
import { type Column, parseColumnId } from "../../../ui/lib/columns.ts";
import type { AppDeps } from "../app.ts";
import { readMessage } from "../request.ts";
import { trackingService } from "./endpoint.ts";
import { runKeys, snapshotsFor, tableWindow } from "./ui-table.ts";
import { metricSeries } from "./ui-series.ts";
import { historyCacheFor } from "./ui-history-cache.ts";
import { loggedModelService } from "./logged-models.ts";

import { UI_API } from "./ui-paths.ts";
export { UI_API };
const MAX_COLUMNS = 500;
const MAX_WINDOW = 2000;
const MAX_PREVIEW_BYTES = 4 * 1024 * 1024;

const columnIds = z.array(z.string()).max(MAX_COLUMNS).transform((ids, ctx) => {
  const cols: Column[] = [];
  for (const id of ids) {
    const c = parseColumnId(id);
    if (!c) {
      ctx.addIssue({ code: "custom", message: `Invalid column '${id}'` });
      return z.NEVER;
    }
    cols.push(c);
  }
  return cols;
});

export const tableRequest = z.object({
  experiment_ids: z.array(z.string()).min(1).max(100),
  filter: z.string().max(10_000).default(""),
  view: z.enum(["active", "deleted", "all"]).default("active"),
  sort: z.string().default(""),
  asc: z.boolean().default(false),
  columns: columnIds,
  expanded: z.array(z.string()).max(10_000).default([]),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(MAX_WINDOW).default(200),
  snapshot: z.string().max(100).optional(),
  /** Live pages: re-run the query and say whether it still matches this snapshot. */
  check_snapshot: z.string().max(100).optional(),
  /** With check_snapshot: send the rows even when nothing moved. */
  with_rows: z.boolean().default(false),
});

const keysRequest = z.object({ experiment_ids: repeated(reqStr()) });

const seriesRequest = z.object({
  run_ids: repeated(reqStr()).pipe(z.array(z.string()).min(1).max(100)),
  key: reqStr(),
  x: z.enum(["step", "time", "relative", "metric"]).default("step"),
  x_key: str().optional(),
  min: z.coerce.number().optional(),
  max: z.coerce.number().optional(),
  buckets: z.coerce.number().int().min(10).max(5000).default(1000),
});

// A run's artifact or a logged model's (model_id), never both.
const previewRequest = z.object({
  run_id: str().optional(),
  model_id: str().optional(),
  path: reqStr(),
  max_bytes: z.coerce.number().int().min(1).max(MAX_PREVIEW_BYTES).default(MAX_PREVIEW_BYTES),
});

const VIEW_TYPES = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" } as const;

/** Registers the UI endpoints on the root app. */
export function uiApiRoutes(root: Hono, deps: AppDeps): void {
  const svc = trackingService(deps);
  const snapshots = snapshotsFor(deps);

  root.post(`${UI_API}/runs-table`, async (c) => {
    const m = await readMessage(c, tableRequest);
    const sort = m.sort ? parseColumnId(m.sort) : null;
    if (m.sort && !sort) throw invalidParam(`Invalid sort column '${m.sort}'`);
    if (m.snapshot && m.check_snapshot) throw invalidParam("Pass either snapshot or check_snapshot");
    const win = await tableWindow(
      svc,
      deps.store,
      snapshots,
      {
        experimentIds: m.experiment_ids,
        filter: m.filter,
        viewType: VIEW_TYPES[m.view],
        sort,
        asc: m.asc,
        expanded: m.expanded,
      },
      m.columns,
      m.offset,
      m.limit,
      m.snapshot,
      m.check_snapshot ? { snapshot: m.check_snapshot, withRows: m.with_rows } : undefined,
    );
    return jsonResponse(win);
  });

  root.get(`${UI_API}/run-keys`, async (c) => {
    const m = await readMessage(c, keysRequest);
    return jsonResponse(await runKeys(svc, m.experiment_ids));
  });

  root.get(`${UI_API}/metric-series`, async (c) => {
    const m = await readMessage(c, seriesRequest);
    if (m.x === "metric" && !m.x_key) throw invalidParam("x=metric needs x_key");
    const { tag, series } = await metricSeries(deps.store, historyCacheFor(deps), {
      runIds: m.run_ids,
      key: m.key,
      x: m.x,
      xKey: m.x_key,
      min: m.min,
      max: m.max,
      buckets: m.buckets,
    }, c.req.header("if-none-match"));
    // Live charts poll with the tag they hold: unchanged histories answer 304 with no body.
    const headers = { ETag: tag, "Cache-Control": "no-cache" };
    if (!series) return new Response(null, { status: 304, headers });
    const res = jsonResponse({ series });
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  });

  // Inline previews of artifacts. The sandbox CSP makes the response an opaque origin with scripts off,
  // even when opened directly, so an uploaded HTML file can never run script on the tracker's origin.
  root.get(`${UI_API}/artifact-preview`, async (c) => {
    const m = await readMessage(c, previewRequest);
    const path = validatePathIsSafe(m.path);
    if (!m.run_id === !m.model_id) throw invalidParam("Give either run_id or model_id.");
    const models = m.model_id ? loggedModelService(deps) : null;
    const repo = models
      ? await models.artifactRepo(await models.getLoggedModel(m.model_id!))
      : new FsArtifactRepo(
        await resolveStoredArtifactDir(
          (await deps.store.getRun(m.run_id!)).info.artifactUri,
          deps.config,
          deps.store,
        ),
      );
    const opened = await repo.open(path);
    const name = m.path.slice(m.path.lastIndexOf("/") + 1);
    const mime = guessMimeType(name);
    const truncated = opened.size > m.max_bytes;
    const body = truncated ? await readPrefix(opened.file, m.max_bytes) : opened.file.readable;
    return new Response(body, {
      headers: {
        "Content-Type": mime.startsWith("text/") && !mime.includes("charset")
          ? `${mime}; charset=utf-8`
          : mime,
        "Content-Disposition": "inline",
        "Content-Security-Policy":
          "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; media-src data:",
        "X-Content-Type-Options": "nosniff",
        "X-Artifact-Size": String(opened.size),
        "X-Artifact-Truncated": String(truncated),
        "Cache-Control": "no-cache",
      },
    });
  });
}

async function readPrefix(file: Deno.FsFile, max: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const buf = new Uint8Array(max);
    let got = 0;
    while (got < max) {
      const n = await file.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    file.close();
  }
}
