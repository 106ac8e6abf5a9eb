// A minimal REST client for seeding a tracker in tests and benchmarks (the MLflow API over fetch).

export class Rest {
  constructor(readonly url: string) {}

  async call<T = Record<string, unknown>>(path: string, body?: unknown, method = "POST"): Promise<T> {
    const res = await fetch(`${this.url}/api/2.0/mlflow/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.call<{ experiment_id: string }>("experiments/create", { name })).experiment_id;
  }

  async createRun(
    experimentId: string,
    opts: { name?: string; tags?: Record<string, string>; startTime?: number; userId?: string } = {},
  ): Promise<string> {
    const tags = Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value }));
    const res = await this.call<{ run: { info: { run_id: string } } }>("runs/create", {
      experiment_id: experimentId,
      run_name: opts.name,
      user_id: opts.userId,
      start_time: opts.startTime ?? Date.now(),
      tags,
    });
    return res.run.info.run_id;
  }

  logBatch(
    runId: string,
    b: {
      metrics?: { key: string; value: number; step: number; timestamp: number }[];
      params?: Record<string, string>;
      tags?: Record<string, string>;
    },
  ) {
    return this.call("runs/log-batch", {
      run_id: runId,
      metrics: b.metrics ?? [],
      params: Object.entries(b.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(b.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }

  finish(runId: string, endTime = Date.now(), status = "FINISHED") {
    return this.call("runs/update", { run_id: runId, status, end_time: endTime });
  }

  async uploadArtifact(runId: string, path: string, bytes: Uint8Array<ArrayBuffer> | string): Promise<void> {
    const body = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    const res = await fetch(
      `${this.url}/ajax-api/2.0/mlflow/upload-artifact?run_id=${runId}&path=${encodeURIComponent(path)}`,
      { method: "POST", body },
    );
    if (!res.ok) throw new Error(`upload ${path}: ${res.status} ${await res.text()}`);
  }
}

/** Runs `f` over `items` with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, f: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
