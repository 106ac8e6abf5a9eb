// Seeds a tracker over REST with the benchmark's data: many runs with params and metrics, and a few runs
// with long metric histories. Also usable by hand: deno run -A bench/ui/seed.ts URL [runs] [long-runs] [steps]

import { pool, Rest } from "../../tests/browser/support/rest.ts";

export interface WideSeed {
  experimentId: string;
  runIds: string[];
}

/** `runs` runs × `params` params × `metrics` metrics (one point each), some nested under parents. */
export async function seedWide(
  rest: Rest,
  name: string,
  runs: number,
  params = 20,
  metrics = 20,
  concurrency = 8,
): Promise<WideSeed> {
  const experimentId = await rest.createExperiment(name);
  const runIds: string[] = new Array(runs);
  const t0 = Date.UTC(2026, 0, 1);
  await pool(Array.from({ length: runs }, (_, i) => i), concurrency, async (i) => {
    const start = t0 + i * 60_000;
    // Every 50th run is a parent of the next 3: exercises nesting at scale.
    const parent = i % 50 >= 1 && i % 50 <= 3 ? runIds[i - (i % 50)] : undefined;
    const id = await rest.createRun(experimentId, {
      name: `run-${String(i).padStart(5, "0")}`,
      startTime: start,
      tags: parent ? { "mlflow.parentRunId": parent } : { "mlflow.source.name": "train.py" },
    });
    runIds[i] = id;
    const p: Record<string, string> = {};
    for (let k = 0; k < params; k++) p[`param_${String(k).padStart(2, "0")}`] = String((i * 7 + k) % 97);
    await rest.logBatch(id, {
      params: p,
      metrics: Array.from({ length: metrics }, (_, k) => ({
        key: `metric_${String(k).padStart(2, "0")}`,
        value: Math.sin(i * 0.01 + k) * 100 + k,
        step: 0,
        timestamp: start + 1000,
      })),
    });
    await rest.finish(id, start + 5_000 + (i % 300) * 1000);
  });
  return { experimentId, runIds };
}

/** `runs` runs with `steps` points of one metric ("loss"), logged in batches of 1000. */
export async function seedLong(rest: Rest, name: string, runs: number, steps: number): Promise<WideSeed> {
  const experimentId = await rest.createExperiment(name);
  const runIds: string[] = [];
  const t0 = Date.UTC(2026, 0, 2);
  for (let r = 0; r < runs; r++) {
    const id = await rest.createRun(experimentId, { name: `long-${r}`, startTime: t0 });
    runIds.push(id);
  }
  const batches: [string, number, number][] = [];
  runIds.forEach((id, r) => {
    for (let s = 0; s < steps; s += 1000) batches.push([id, r, s]);
  });
  await pool(batches, 4, async ([id, r, s]) => {
    const metrics = [];
    for (let k = s; k < Math.min(steps, s + 1000); k++) {
      const noise = Math.sin(k * 12.9898 + r * 78.233) * 0.05;
      metrics.push({
        key: "loss",
        value: 2 * Math.exp(-k / (steps / 5)) + 0.1 * r + noise,
        step: k,
        timestamp: t0 + k * 10,
      });
    }
    await rest.logBatch(id, { metrics });
  });
  for (const id of runIds) await rest.finish(id, t0 + steps * 10);
  return { experimentId, runIds };
}

if (import.meta.main) {
  const [url, runs = "200", longRuns = "3", steps = "10000"] = Deno.args;
  const rest = new Rest(url);
  const t = performance.now();
  const wide = await seedWide(rest, `wide-${Date.now()}`, Number(runs));
  const long = await seedLong(rest, `long-${Date.now()}`, Number(longRuns), Number(steps));
  console.log(
    JSON.stringify({ wide: wide.experimentId, long: long.experimentId, ms: performance.now() - t }),
  );
}
