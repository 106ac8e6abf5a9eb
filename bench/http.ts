// Minimal MLflow REST client for the load generator. Deno's fetch keeps connections alive and
// pools them, and measured as fast as node:http agents here (~6.5k sequential req/s on loopback),
// so it is the simpler choice. Every response body is read so the connection returns to the pool.

export class HttpError extends Error {
  constructor(readonly status: number, readonly path: string, body: string) {
    super(`HTTP ${status} on ${path}: ${body.slice(0, 200).replace(/\s+/g, " ")}`);
  }
}

type Query = Record<string, string | number | readonly string[] | undefined>;

export class Rest {
  readonly api: string;
  constructor(readonly base: string) {
    this.api = `${base}/api/2.0/mlflow`;
  }

  async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.api}/${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    return await decode<T>(res, path);
  }

  async get<T = Record<string, unknown>>(path: string, query: Query): Promise<T> {
    return parse<T>(await this.getText(path, query));
  }

  /** The 200 body unparsed, so callers can time JSON.parse (client cost) apart from the server. */
  async getText(path: string, query: Query): Promise<string> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) { for (const x of v) qs.append(k, x); }
      else qs.append(k, String(v));
    }
    const res = await fetch(`${this.api}/${path}?${qs}`);
    const text = await res.text();
    if (res.status !== 200) throw new HttpError(res.status, path, text);
    return text;
  }
}

export function parse<T>(text: string): T {
  return (text ? JSON.parse(text) : {}) as T;
}

async function decode<T>(res: Response, path: string): Promise<T> {
  const text = await res.text();
  if (res.status !== 200) throw new HttpError(res.status, path, text);
  return parse<T>(text);
}

/** Status of GET url, or 0 when nothing answers yet (connection refused, reset). */
export async function probe(url: string): Promise<number> {
  try {
    const res = await fetch(url);
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}
