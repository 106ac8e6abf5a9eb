// How requests reach a tracking server: over HTTP (fetch, plus node:http for big uploads), or in-process
// to an embedded server in local mode. The REST client and the artifact repositories only see this.

import { putFileOverHttp } from "./upload.ts";

export interface Transport {
  readonly kind: "http" | "local";
  /** Root URL of the tracking server, static prefix included, no trailing slash. */
  readonly baseUrl: string;
  /** Sends one request; no retries here. */
  send(req: Request, signal?: AbortSignal): Promise<Response>;
  /** PUTs a local file as the body with a Content-Length (uploads stay in constant memory). */
  putFile(url: string, file: string, size: number, headers: Headers, signal?: AbortSignal): Promise<Response>;
  /** Releases what the transport holds (the store and lock of local mode). */
  close(): Promise<void>;
}

/** Files at least this big go through node:http: Deno's fetch with a stream body is slow. */
const STREAM_UPLOAD_BYTES = 4 * 1024 * 1024;

export class HttpTransport implements Transport {
  readonly kind = "http";
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  send(req: Request, signal?: AbortSignal): Promise<Response> {
    return fetch(req, signal ? { signal } : undefined);
  }

  async putFile(url: string, file: string, size: number, headers: Headers, signal?: AbortSignal) {
    if (size >= STREAM_UPLOAD_BYTES) return await putFileOverHttp(url, file, size, headers, signal);
    const { readFile } = await import("node:fs/promises");
    const bytes = new Uint8Array(await readFile(file));
    return await fetch(url, { method: "PUT", body: bytes, headers, signal });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
