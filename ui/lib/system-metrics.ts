// MLflow's system metrics (mlflow.enable_system_metrics_logging) are ordinary metrics named "system/...".
// Like MLflow's UI, the run page shows them in their own tab, grouped by kind, and keeps them out of the
// model-metric charts.

export const SYSTEM_PREFIX = "system/";

export function isSystemMetric(key: string): boolean {
  return key.startsWith(SYSTEM_PREFIX);
}

const KINDS: [string, RegExp][] = [
  ["CPU", /^cpu_/],
  ["Memory", /^system_memory_|^memory_/],
  ["GPU", /^gpu_/],
  ["Network", /^network_/],
  ["Disk", /^disk_/],
];

/** The section a system metric belongs in: CPU, Memory, GPU, Network, Disk or Other. Multi-node runs log
 * "system/<node id>/<name>"; the kind comes from the name. */
export function systemMetricKind(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  return KINDS.find(([, re]) => re.test(name))?.[0] ?? "Other";
}

/** System metric keys ordered by kind (CPU, Memory, GPU, Network, Disk, Other), then by name. */
export function sortSystemMetrics(keys: string[]): string[] {
  const order = [...KINDS.map(([k]) => k), "Other"];
  const rank = (k: string) => order.indexOf(systemMetricKind(k));
  return [...keys].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
