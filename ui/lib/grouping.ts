// What runs can be grouped by in the charts: each param and each user tag (mlflow.* tags are left out),
// as "params.<key>" / "tags.<key>", with every run's value of each.

export interface GroupableRun {
  id: string;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface Grouping {
  groupKeys: string[];
  groupValues: Record<string, Record<string, string>>;
}

export function groupingOf(runs: GroupableRun[]): Grouping {
  const params = new Set<string>(), tags = new Set<string>();
  const groupValues: Record<string, Record<string, string>> = {};
  for (const r of runs) {
    const g: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.params)) {
      params.add(k);
      g[`params.${k}`] = v;
    }
    for (const [k, v] of Object.entries(r.tags)) {
      if (k.startsWith("mlflow.")) continue;
      tags.add(k);
      g[`tags.${k}`] = v;
    }
    groupValues[r.id] = g;
  }
  return {
    groupKeys: [...[...params].sort().map((k) => `params.${k}`), ...[...tags].sort().map((k) => `tags.${k}`)],
    groupValues,
  };
}
