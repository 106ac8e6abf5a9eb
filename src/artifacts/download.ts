// The HTTP response for a downloaded artifact. Always an attachment with nosniff: artifacts are user
// content, and rendering them inline on the server's origin would let an uploaded HTML file run script.

import { guessMimeType } from "./mime.ts";
import type { OpenedArtifact } from "./fs-repo.ts";

/** With `headOnly` (a HEAD request) the file is closed at once instead of waiting for GC. */
export function artifactResponse(opened: OpenedArtifact, artifactPath: string, headOnly = false): Response {
  const name = artifactPath.slice(artifactPath.lastIndexOf("/") + 1);
  const headers = new Headers({
    "Content-Type": guessMimeType(name),
    "Content-Length": String(opened.size),
    "Content-Disposition": contentDisposition(name),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  });
  if (opened.mtime) headers.set("Last-Modified", opened.mtime.toUTCString());
  if (headOnly) {
    opened.file.close();
    return new Response(null, { status: 200, headers });
  }
  return new Response(opened.file.readable, { status: 200, headers });
}

// RFC 7230 token characters: such names go unquoted, as MLflow (werkzeug) writes them.
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** `attachment; filename=...`, with an RFC 5987 `filename*` when the name is not ASCII (RFC 6266). */
export function contentDisposition(name: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return `attachment; filename=${quoteValue(name)}`;
  const fallback = name.normalize("NFKD").replace(/[^\x20-\x7e]/g, "") || "download";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `attachment; filename=${quoteValue(fallback)}; filename*=UTF-8''${encoded}`;
}

function quoteValue(v: string): string {
  if (TOKEN.test(v)) return v;
  // Control characters cannot appear in a header value at all.
  // deno-lint-ignore no-control-regex
  const clean = v.replace(/[\x00-\x1f\x7f]/g, "_");
  return `"${clean.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
