// Browser-side calls to the tracker: the MLflow REST API under /ajax-api/2.0/mlflow and the UI endpoints
// under /ajax-api/2.0/tracker. Errors carry the server's message so the UI can show it inline.

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    if (!res.ok) throw new ApiError(res.status, "HTTP_ERROR", text.slice(0, 500) || res.statusText);
  }
  if (!res.ok) {
    const b = body as { error_code?: string; message?: string };
    throw new ApiError(res.status, b.error_code ?? "HTTP_ERROR", b.message ?? res.statusText);
  }
  return body as T;
}

export class Api {
  constructor(readonly base: string) {}

  url(path: string, query?: Record<string, string | number | string[] | undefined>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) { for (const x of v) q.append(k, x); }
      else q.set(k, String(v));
    }
    const s = q.toString();
    return `${this.base}${path}${s ? `?${s}` : ""}`;
  }

  async get<T>(
    path: string,
    query?: Record<string, string | number | string[] | undefined>,
    signal?: AbortSignal,
  ) {
    return parse<T>(await fetch(this.url(path, query), { signal, headers: { accept: "application/json" } }));
  }

  /**
   * GET with a validator (ETag): null when the server answers 304 because `tag` is still current, so a
   * poll that finds nothing new costs no body.
   */
  async getIfChanged<T>(
    path: string,
    query: Record<string, string | number | string[] | undefined>,
    tag?: string,
  ): Promise<{ body: T; tag: string | null } | null> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (tag) headers["if-none-match"] = tag;
    const res = await fetch(this.url(path, query), { headers, cache: "no-store" });
    if (res.status === 304) return null;
    return { body: await parse<T>(res), tag: res.headers.get("etag") };
  }

  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res = await fetch(this.url(path), {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    return parse<T>(res);
  }

  /** A JSON request with any method (the registry's PATCH and DELETE, logged-model tags). */
  async send<T>(method: "POST" | "PATCH" | "DELETE", path: string, body: unknown): Promise<T> {
    const res = await fetch(this.url(path), {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    return parse<T>(res);
  }

  /** MLflow REST (ajax prefix, as MLflow's own UI uses). */
  mlflow<T>(path: string, body: unknown): Promise<T> {
    return this.post<T>(`/ajax-api/2.0/mlflow/${path}`, body);
  }
}

export const TRACKER_API = "/ajax-api/2.0/tracker";
