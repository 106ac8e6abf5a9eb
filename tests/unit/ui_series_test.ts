// Chart series: the min/max-preserving reduction, windows for zooming, x axes, and the endpoint.

import { assert, assertEquals, withApp } from "./routes_harness.ts";
import { pickIndices, sortByX, toXY } from "../../src/server/routes/ui-series.ts";
import { HistoryCache } from "../../src/server/routes/ui-history-cache.ts";

function xy(ys: number[]) {
  return { x: Float64Array.from(ys, (_, i) => i), y: Float64Array.from(ys) };
}

Deno.test("pickIndices keeps every point when they fit", () => {
  const r = pickIndices(xy([1, 2, 3]), 10);
  assertEquals(r, { idx: [0, 1, 2], total: 3, sampled: false });
});

Deno.test("pickIndices reduces to ≤ 4 points per bucket and keeps each bucket's spike and dip", () => {
  const n = 100_000;
  const ys = Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
  ys[12_345] = 50; // a spike
  ys[67_890] = -50; // a dip
  const r = pickIndices(xy(ys), 100);
  assert(r.sampled);
  assertEquals(r.total, n);
  assert(r.idx.length <= 4 * 100 + 2, `${r.idx.length} points`);
  assert(r.idx.includes(12_345) && r.idx.includes(67_890), "extremes kept");
  assert(r.idx.includes(0) && r.idx.includes(n - 1), "ends kept");
  for (let i = 1; i < r.idx.length; i++) assert(r.idx[i] > r.idx[i - 1], "sorted, no duplicates");
});

Deno.test("pickIndices: a window returns full resolution inside plus one neighbour each side", () => {
  const ys = Array.from({ length: 10_000 }, (_, i) => i % 7);
  const r = pickIndices(xy(ys), 100, 5000, 5100);
  assertEquals(r.total, 101);
  assertEquals(r.sampled, false);
  assertEquals(r.idx[0], 4999);
  assertEquals(r.idx[r.idx.length - 1], 5101);
  assertEquals(r.idx.length, 103);
});

Deno.test("pickIndices keeps a non-finite value as a gap, never as a bucket's min or max", () => {
  const ys = Array.from({ length: 1000 }, () => 1);
  ys[500] = NaN;
  ys[501] = -Infinity;
  const r = pickIndices(xy(ys), 10);
  assert(r.idx.includes(500), "gap kept");
  assert(!r.idx.includes(501) || Number.isNaN(ys[500]), "second non-finite not chosen as min");
});

Deno.test("toXY: relative time in seconds from the run start, metric x joined on step, sorted by x", () => {
  const h = { t: [3000, 2000], s: [2, 1], v: [1, 2] };
  const rel = toXY(h, "relative", 1000);
  assertEquals([...rel.x], [1, 2]);
  assertEquals([...rel.y], [2, 1]);
  const byMetric = toXY(h, "metric", 0, new Map([[1, 0.5], [2, 0.25]]));
  assertEquals([...byMetric.x], [0.25, 0.5]);
  assertEquals([...byMetric.y], [1, 2]);
});

Deno.test("sortByX: out-of-order batches come out sorted by x, equal x in logged order", () => {
  // Batches of steps logged concurrently: ascending runs in shuffled order, some steps logged twice.
  const batches = [5, 0, 7, 2, 9, 1, 8, 3, 6, 4, 2];
  const xs: number[] = [], ys: number[] = [];
  batches.forEach((b, k) => {
    for (let i = 0; i < 100; i++) {
      xs.push(b * 100 + i);
      ys.push(k * 1000 + i);
    }
  });
  const got = sortByX(Float64Array.from(xs), Float64Array.from(ys));
  const want = xs.map((x, i) => [x, ys[i], i]).sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  assertEquals([...got.x], want.map((w) => w[0]));
  assertEquals([...got.y], want.map((w) => w[1]));
  assertEquals([...sortByX(Float64Array.of(3, 1, 2), Float64Array.of(30, 10, 20)).y], [10, 20, 30]);
  assertEquals([...sortByX(new Float64Array(0), new Float64Array(0)).x], []);
});

Deno.test("toXY on cached columns: in-order steps are used as they are, anything else is copied", () => {
  const h = { t: Float64Array.of(1, 2, 3), s: Float64Array.of(0, 1, 1), v: Float64Array.of(5, 6, 7) };
  const same = toXY(h, "step", 0);
  assert(same.x === h.s && same.y === h.v, "no copy");
  const back = { ...h, s: Float64Array.of(2, 1, 0) };
  assertEquals([...toXY(back, "step", 0).y], [7, 6, 5]);
  const odd = { ...h, s: Float64Array.of(0, -Infinity, 1) };
  assertEquals([...toXY(odd, "step", 0).x], [0, 1]);
  assertEquals([...toXY(h, "time", 0).x], [1, 2, 3]);
});

Deno.test("history cache: reuses a finished history, reads only new points, shares concurrent reads", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp);
    const log = (from: number, n: number) =>
      env.post("runs/log-batch", {
        run_id: run,
        metrics: Array.from(
          { length: n },
          (_, i) => ({ key: "m", value: from + i, timestamp: from + i, step: from + i }),
        ),
      });
    await log(0, 100);
    let reads: number[] = [];
    // Count the store reads (offsets) without replacing the store: a thin wrapper.
    const store = new Proxy(env.store, {
      get(target, prop, recv) {
        if (prop === "getMetricHistoryColumns") {
          return (id: string, key: string, offset: number) => {
            reads.push(offset);
            return target.getMetricHistoryColumns(id, key, offset);
          };
        }
        return Reflect.get(target, prop, recv);
      },
    });
    const cache = new HistoryCache();
    const [a, b] = await Promise.all([
      cache.get(store, await env.store.getRun(run), "m"),
      cache.get(store, await env.store.getRun(run), "m"),
    ]);
    assertEquals(a, b);
    assertEquals(a.v.length, 100);
    assertEquals(reads, [0]);
    await cache.get(store, await env.store.getRun(run), "m");
    assertEquals(reads, [0], "unchanged history: no read");
    await log(100, 50);
    const c = await cache.get(store, await env.store.getRun(run), "m");
    assertEquals(reads, [0, 100], "only the new points are read");
    assertEquals(c.v.length, 150);
    assertEquals(c.v[149], 149);
    assertEquals(cache.size, 150);
    reads = [];
    const small = new HistoryCache(Date.now, 120);
    await small.get(store, await env.store.getRun(run), "m");
    assertEquals(small.size, 150, "the entry in use is never evicted");
  });
});

Deno.test("metric-series endpoint: reduced full view, full-resolution window, unknown runs skipped", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp);
    for (let s = 0; s < 5000; s += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: "loss",
        value: s + i === 2500 ? 1e6 : Math.cos((s + i) / 100),
        timestamp: 1000 + s + i,
        step: s + i,
      }));
      assertEquals((await env.post("runs/log-batch", { run_id: run, metrics })).status, 200);
    }
    const url = "/ajax-api/2.0/tracker/metric-series";
    const full = await env.get(url, {
      run_ids: [run, "0123456789abcdef0123456789abcdef"],
      key: "loss",
      buckets: 50,
    });
    assertEquals(full.status, 200, full.text);
    assertEquals(full.body.series.length, 1);
    const s = full.body.series[0];
    assertEquals(s.total, 5000);
    assert(s.sampled && s.x.length <= 202, `${s.x.length} points`);
    assert(s.y.includes(1e6), "the spike survives the reduction");
    const win = await env.get(url, { run_ids: run, key: "loss", buckets: 50, min: 2400, max: 2550 });
    const w = win.body.series[0];
    assertEquals(w.total, 151);
    assertEquals(w.sampled, false);
    assertEquals(w.x[0], 2399);
    const bad = await env.get(url, { run_ids: run, key: "loss", x: "metric" });
    assertEquals(bad.status, 400);
  });
});

Deno.test("metric-series ETag: unchanged histories answer 304, new points or a finished run a new answer", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp);
    const log = (from: number, n: number) =>
      env.post("runs/log-batch", {
        run_id: run,
        metrics: Array.from(
          { length: n },
          (_, i) => ({ key: "m", value: i, timestamp: 5000 + from + i, step: from + i }),
        ),
      });
    await log(0, 10);
    const url = `/ajax-api/2.0/tracker/metric-series?run_ids=${run}&key=m&buckets=50`;
    const ask = (tag?: string) => env.app.request(url, { headers: tag ? { "if-none-match": tag } : {} });
    const first = await ask();
    assertEquals(first.status, 200);
    const tag = first.headers.get("etag")!;
    assert(tag, "an ETag");
    const body = await first.json();
    assertEquals(body.series[0].running, true);
    assertEquals(body.series[0].x.length, 10);
    const same = await ask(tag);
    assertEquals(same.status, 304);
    assertEquals(await same.text(), "");
    // Another query (other buckets) never matches this tag.
    const other = await env.app.request(url.replace("buckets=50", "buckets=60"), {
      headers: { "if-none-match": tag },
    });
    assertEquals(other.status, 200);
    await other.body?.cancel();
    await log(10, 5);
    const grown = await ask(tag);
    assertEquals(grown.status, 200);
    const tag2 = grown.headers.get("etag")!;
    assertEquals((await grown.json()).series[0].total, 15);
    assert(tag2 !== tag);
    assertEquals(
      (await env.post("runs/update", { run_id: run, status: "FINISHED", end_time: 9000 })).status,
      200,
    );
    const ended = await ask(tag2);
    assertEquals(ended.status, 200, "the run's status is part of the answer");
    assertEquals((await ended.json()).series[0].running, false);
  });
});

Deno.test("history columns: the same points as getMetricHistory from any offset, across chunk boundaries", async () => {
  await withApp(async (env) => {
    const run = await env.run(await env.experiment());
    for (let from = 0; from < 2500; from += 500) {
      const metrics = Array.from({ length: 500 }, (_, i) => ({
        key: "m",
        value: (from + i) * 0.5,
        timestamp: 10_000 + from + i,
        step: 2500 - from - i,
      }));
      assertEquals((await env.post("runs/log-batch", { run_id: run, metrics })).status, 200);
    }
    for (const offset of [0, 999, 1000, 1234, 2499, 2500]) {
      const cols = await env.store.getMetricHistoryColumns(run, "m", offset);
      const pts = (await env.store.getMetricHistory(run, "m", { offset })).items;
      assertEquals([...cols.t], pts.map((p) => p.timestamp), `offset ${offset}`);
      assertEquals([...cols.s], pts.map((p) => p.step));
      assertEquals([...cols.v], pts.map((p) => p.value));
    }
    assertEquals((await env.store.getMetricHistoryColumns(run, "other", 0)).t.length, 0);
  });
});

Deno.test("history cache: polls of a growing history append in place; columns handed out earlier stay as they were", async () => {
  await withApp(async (env) => {
    const run = await env.run(await env.experiment());
    let next = 0;
    const log = (n: number) =>
      env.post("runs/log-batch", {
        run_id: run,
        metrics: Array.from(
          { length: n },
          () => ({ key: "m", value: next, timestamp: 1000 + next, step: next++ }),
        ),
      });
    const cache = new HistoryCache();
    const read = async () => {
      const h = await cache.get(env.store, await env.store.getRun(run), "m");
      return { s: h.s as Float64Array, v: h.v as Float64Array };
    };
    await log(100);
    const a = await read();
    await log(10);
    const b = await read();
    await log(10);
    const c = await read();
    assertEquals(a.v.length, 100);
    assertEquals([...a.v], Array.from({ length: 100 }, (_, i) => i), "the first view is untouched");
    assertEquals(b.v.length, 110);
    assertEquals([...c.s], Array.from({ length: 120 }, (_, i) => i));
    assert(c.v.buffer === b.v.buffer, "the third read appended into the second's buffer");
    assertEquals(cache.size, 120);
  });
});
