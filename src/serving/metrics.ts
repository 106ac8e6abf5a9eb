// Prometheus text for `GET /metrics` of the scoring server: requests by status, latency and rows-per-request
// histograms, and the pool's queue depth, busy and ready Workers and restarts.

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ROW_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000];

class Histogram {
  counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = new Array(buckets.length).fill(0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) this.counts[i]++;
  }
  render(name: string, labels = ""): string[] {
    const sep = labels ? "," : "";
    const lines = this.buckets.map((b, i) => `${name}_bucket{${labels}${sep}le="${b}"} ${this.counts[i]}`);
    lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${this.count}`);
    lines.push(`${name}_sum${labels ? `{${labels}}` : ""} ${this.sum}`);
    lines.push(`${name}_count${labels ? `{${labels}}` : ""} ${this.count}`);
    return lines;
  }
}

export interface PoolGauges {
  queueDepth: number;
  busy: number;
  readyWorkers: number;
  size: number;
  restarts: number;
}

export class ServingMetrics {
  #requests = new Map<string, number>();
  #latency = new Histogram(LATENCY_BUCKETS);
  #rows = new Histogram(ROW_BUCKETS);

  observe(status: number, seconds: number, rows?: number): void {
    const key = String(status);
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    this.#latency.observe(seconds);
    if (rows !== undefined) this.#rows.observe(rows);
  }

  render(pool: PoolGauges): string {
    const lines = [
      "# HELP tracker_serving_requests_total Requests to /invocations by HTTP status.",
      "# TYPE tracker_serving_requests_total counter",
      ...[...this.#requests].map(([s, n]) => `tracker_serving_requests_total{status="${s}"} ${n}`),
      "# HELP tracker_serving_request_duration_seconds Time from request to answer for /invocations.",
      "# TYPE tracker_serving_request_duration_seconds histogram",
      ...this.#latency.render("tracker_serving_request_duration_seconds"),
      "# HELP tracker_serving_batch_rows Rows per /invocations request.",
      "# TYPE tracker_serving_batch_rows histogram",
      ...this.#rows.render("tracker_serving_batch_rows"),
      "# HELP tracker_serving_queue_depth Requests waiting for a free prediction worker.",
      "# TYPE tracker_serving_queue_depth gauge",
      `tracker_serving_queue_depth ${pool.queueDepth}`,
      "# HELP tracker_serving_workers_busy Prediction workers running a request.",
      "# TYPE tracker_serving_workers_busy gauge",
      `tracker_serving_workers_busy ${pool.busy}`,
      "# HELP tracker_serving_workers_ready Prediction workers with the model loaded.",
      "# TYPE tracker_serving_workers_ready gauge",
      `tracker_serving_workers_ready ${pool.readyWorkers}`,
      "# HELP tracker_serving_worker_restarts_total Workers replaced after a crash or a timeout.",
      "# TYPE tracker_serving_worker_restarts_total counter",
      `tracker_serving_worker_restarts_total ${pool.restarts}`,
    ];
    return lines.join("\n") + "\n";
  }
}
