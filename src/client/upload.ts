// A streamed PUT of a local file through node:http(s) with a Content-Length: constant memory and fast in
// both Deno and Node (Deno's fetch with a stream body measured 6-41 MB/s here, node:http 122 MB/s).

import { createReadStream } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { concatBytes } from "./bytes.ts";

export function putFileOverHttp(
  url: string,
  file: string,
  size: number,
  headers: Headers,
  signal?: AbortSignal,
): Promise<Response> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  const outHeaders: Record<string, string> = {};
  headers.forEach((v, k) => outHeaders[k] = v);
  outHeaders["content-length"] = String(size);
  return new Promise<Response>((resolve, reject) => {
    const req = request(target, { method: "PUT", headers: outHeaders, signal }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (c: Uint8Array) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const answer = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (typeof v === "string") answer.set(k, v);
        }
        // 204/304 must not carry a body in a Response.
        const status = res.statusCode ?? 500;
        const body = status === 204 || status === 304 ? null : concatBytes(chunks);
        resolve(new Response(body, { status, headers: answer }));
      });
    });
    req.on("error", reject);
    const source = createReadStream(file);
    source.on("error", (e) => req.destroy(e));
    source.pipe(req);
  });
}
