// The few REST calls model-URI resolution needs, against a tracking server (MLFLOW_TRACKING_URI), with the
// client's credentials (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), or in-process against
// the local default store (a `send` that hands requests to the embedded handler).

export class TrackingError extends Error {
  constructor(message: string, readonly status: number, readonly errorCode?: string) {
    super(message);
  }
}

export interface TrackingEnv {
  MLFLOW_TRACKING_USERNAME?: string;
  MLFLOW_TRACKING_PASSWORD?: string;
  MLFLOW_TRACKING_TOKEN?: string;
}

export type SendRequest = (req: Request) => Promise<Response>;

export class TrackingClient {
  readonly base: string;
  #headers: Record<string, string> = {};
  readonly #send: SendRequest;
  /** Set when requests are answered in-process: the folder `mlflow-artifacts:` paths live in. */
  localArtifactsDir?: string;

  constructor(trackingUri: string, env: TrackingEnv = {}, send: SendRequest = (req) => fetch(req)) {
    this.base = trackingUri.replace(/\/+$/, "");
    this.#send = send;
    if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD !== undefined) {
      this.#headers.authorization = "Basic " +
        btoa(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`);
    } else if (env.MLFLOW_TRACKING_TOKEN) {
      this.#headers.authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
    }
  }

  /** A client for another host (an `mlflow-artifacts://host:port/` URI), reached over the network. */
  withHost(hostPort: string): TrackingClient {
    const u = new URL(this.base);
    u.host = hostPort;
    const c = new TrackingClient(u.href);
    c.#headers = { ...this.#headers };
    return c;
  }

  get(pathAndQuery: string): Promise<Response> {
    return this.#send(new Request(this.base + pathAndQuery, { headers: this.#headers }));
  }

  async getJson<T>(pathAndQuery: string): Promise<T> {
    return this.#json<T>(await this.get(pathAndQuery), pathAndQuery);
  }

  async postJson<T>(pathAndQuery: string, body: unknown): Promise<T> {
    const res = await this.#send(
      new Request(this.base + pathAndQuery, {
        method: "POST",
        headers: { ...this.#headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return this.#json<T>(res, pathAndQuery);
  }

  async #json<T>(res: Response, what: string): Promise<T> {
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text === "" ? {} : JSON.parse(text);
    } catch { /* non-JSON error bodies are reported by status */ }
    if (!res.ok) {
      const b = body as { error_code?: string; message?: string } | undefined;
      throw new TrackingError(
        `${what}: HTTP ${res.status}${b?.message ? ` ${b.error_code}: ${b.message}` : ""}`,
        res.status,
        b?.error_code,
      );
    }
    return body as T;
  }
}
