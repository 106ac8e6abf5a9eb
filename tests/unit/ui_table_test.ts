// The runs-table endpoint on the real app and KV store: only the requested columns go out, sorting,
// filtering (with MLflow's error message for bad syntax), windows from one snapshot, nested runs.

import { assert, assertEquals, assertError, type Env, withApp } from "./routes_harness.ts";

const TABLE = "/ajax-api/2.0/tracker/runs-table";

async function seed(env: Env, n: number) {
  const exp = await env.experiment();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await env.run(exp, { run_name: `r${i}`, start_time: 1000 + i });
    ids.push(id);
    const r = await env.post("runs/log-batch", {
      run_id: id,
      metrics: [{ key: "acc", value: i % 3 === 0 ? "NaN" : i / 10, timestamp: 5, step: 0 }],
      params: [{ key: "lr", value: String(i % 4) }, { key: "big", value: "x".repeat(500) }],
      tags: [{ key: "team", value: i % 2 ? "a" : "b" }],
    });
    assertEquals(r.status, 200, r.text);
  }
  return { exp, ids };
}

Deno.test("runs-table returns only the requested columns, in order", async () => {
  await withApp(async (env) => {
    const { exp, ids } = await seed(env, 3);
    const r = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name", "m:acc", "p:lr"] });
    assertEquals(r.status, 200, r.text);
    assertEquals(r.body.total, 3);
    // Default order: newest first.
    assertEquals(r.body.rows.map((x: { id: string }) => x.id), [...ids].reverse());
    assertEquals(r.body.rows[0].cells, ["r2", 0.2, "2"]);
    assertEquals(r.body.rows[2].cells, ["r0", "NaN", "0"]);
    // The 500-character param that was not asked for is nowhere in the answer.
    assert(!r.text.includes("xxxxxxxxxx"), "unrequested column leaked");
  });
});

Deno.test("runs-table sorts on metrics, params and duration; NaN and missing sort last", async () => {
  await withApp(async (env) => {
    const { exp } = await seed(env, 6);
    const bySort = async (sort: string, asc: boolean) => {
      const r = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"], sort, asc });
      assertEquals(r.status, 200, r.text);
      return r.body.rows.map((x: { cells: string[] }) => x.cells[0]);
    };
    // NaN sorts last both ways; ties keep the base order (newest first).
    assertEquals(await bySort("m:acc", false), ["r5", "r4", "r2", "r1", "r3", "r0"]);
    assertEquals(await bySort("m:acc", true), ["r1", "r2", "r4", "r5", "r3", "r0"]);
    assertEquals((await bySort("p:lr", true)).slice(0, 2).sort(), ["r0", "r4"]);
    // Duration is not in MLflow's order_by grammar; the endpoint sorts it itself.
    for (
      const [i, id] of (await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"] })).body.rows
        .map((x: { id: string }) => x.id).entries()
    ) {
      assertEquals(
        (await env.post("runs/update", { run_id: id, status: "FINISHED", end_time: 5000 + i * 100 })).status,
        200,
      );
    }
    const dur = await env.post(TABLE, {
      experiment_ids: [exp],
      columns: ["a:duration"],
      sort: "a:duration",
      asc: true,
    });
    const durations = dur.body.rows.map((x: { cells: number[] }) => x.cells[0]);
    assertEquals(durations, [...durations].sort((a: number, b: number) => a - b));
  });
});

Deno.test("runs-table filter: valid grammar narrows, bad syntax is a 400 with MLflow's message", async () => {
  await withApp(async (env) => {
    const { exp } = await seed(env, 6);
    const ok = await env.post(TABLE, {
      experiment_ids: [exp],
      columns: ["a:name"],
      filter: "tags.team = 'a' and metrics.acc > 0.2",
    });
    assertEquals(ok.status, 200, ok.text);
    assertEquals(ok.body.rows.map((x: { cells: string[] }) => x.cells[0]).sort(), ["r5"]);
    const bad = await env.post(TABLE, {
      experiment_ids: [exp],
      columns: ["a:name"],
      filter: "metrics.acc >",
    });
    assertError(bad, 400, "INVALID_PARAMETER_VALUE");
    const badCol = await env.post(TABLE, { experiment_ids: [exp], columns: ["x:nope"] });
    assertError(badCol, 400, "INVALID_PARAMETER_VALUE", "columns");
  });
});

Deno.test("runs-table windows: later windows reuse the snapshot and keep the order", async () => {
  await withApp(async (env) => {
    const { exp, ids } = await seed(env, 7);
    const first = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"], limit: 3 });
    assertEquals(first.body.rows.length, 3);
    // A run created after the first window does not shift the rows of later windows.
    await env.run(exp, { run_name: "late", start_time: 99999 });
    const second = await env.post(TABLE, {
      experiment_ids: [exp],
      columns: ["a:name", "p:lr"],
      offset: 3,
      limit: 10,
      snapshot: first.body.snapshot,
    });
    assertEquals(second.body.snapshot, first.body.snapshot);
    assertEquals(second.body.total, 7);
    const all = [...first.body.rows, ...second.body.rows].map((x: { id: string }) => x.id);
    assertEquals(all, [...ids].reverse());
    assertEquals(second.body.rows[0].cells.length, 2);
    // An unknown snapshot starts a new one that sees the new run.
    const fresh = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"], snapshot: "gone" });
    assertEquals(fresh.body.total, 8);
    assert(fresh.body.snapshot !== "gone");
  });
});

Deno.test("runs-table change check: same list keeps the snapshot, a new run makes a new one", async () => {
  await withApp(async (env) => {
    const { exp, ids } = await seed(env, 4);
    const body = { experiment_ids: [exp], columns: ["a:name", "a:status"], limit: 2 };
    const first = await env.post(TABLE, body);
    const check = (extra: Record<string, unknown> = {}) =>
      env.post(TABLE, { ...body, check_snapshot: first.body.snapshot, ...extra });
    // Nothing moved: same snapshot, no rows unless asked for.
    const idle = await check();
    assertEquals(idle.status, 200, idle.text);
    assertEquals([idle.body.unchanged, idle.body.snapshot, idle.body.rows], [true, first.body.snapshot, []]);
    // Asked for rows: fresh cells of the same rows (a status change is not a change of the list).
    await env.post("runs/update", { run_id: ids[3], status: "FINISHED", end_time: 9000 });
    const cells = await check({ with_rows: true });
    assertEquals(cells.body.unchanged, true);
    assertEquals(cells.body.rows.map((x: { cells: string[] }) => x.cells), [["r3", "FINISHED"], [
      "r2",
      "RUNNING",
    ]]);
    // A new run changes the list: a new snapshot with the window's rows.
    const late = await env.run(exp, { run_name: "late", start_time: 99999 });
    const moved = await check({ offset: 0 });
    assertEquals(moved.body.unchanged, undefined);
    assert(moved.body.snapshot !== first.body.snapshot);
    assertEquals([moved.body.total, moved.body.rows[0].id], [5, late]);
    // A check against a snapshot the server no longer holds answers as a new query.
    const lost = await env.post(TABLE, { ...body, check_snapshot: "gone" });
    assertEquals([lost.body.unchanged, lost.body.total], [undefined, 5]);
    const both = await env.post(TABLE, { ...body, snapshot: "a", check_snapshot: "b" });
    assertError(both, 400, "INVALID_PARAMETER_VALUE", "check_snapshot");
  });
});

Deno.test("runs-table nests children under their parent when expanded", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const parent = await env.run(exp, { run_name: "parent", start_time: 1 });
    const kids = [];
    for (let i = 0; i < 2; i++) {
      kids.push(
        await env.run(exp, {
          run_name: `child${i}`,
          start_time: 10 + i,
          tags: [{ key: "mlflow.parentRunId", value: parent }],
        }),
      );
    }
    const other = await env.run(exp, { run_name: "other", start_time: 5 });
    const folded = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"] });
    assertEquals(folded.body.rows.map((x: { id: string }) => x.id), [other, parent]);
    assertEquals(folded.body.rows[1].kids, 2);
    const open = await env.post(TABLE, { experiment_ids: [exp], columns: ["a:name"], expanded: [parent] });
    assertEquals(open.body.rows.map((x: { id: string; depth: number }) => [x.id, x.depth]), [
      [other, 0],
      [parent, 0],
      [kids[1], 1],
      [kids[0], 1],
    ]);
    // A child whose parent is filtered out stands on its own.
    const only = await env.post(TABLE, {
      experiment_ids: [exp],
      columns: ["a:name"],
      filter: "attributes.run_name LIKE 'child%'",
    });
    assertEquals(only.body.rows.map((x: { depth: number }) => x.depth), [0, 0]);
  });
});

Deno.test("run-keys lists every metric, param and tag key of the experiments", async () => {
  await withApp(async (env) => {
    const { exp } = await seed(env, 2);
    const r = await env.get("/ajax-api/2.0/tracker/run-keys", { experiment_ids: exp });
    assertEquals(r.status, 200, r.text);
    assertEquals(r.body.metrics, ["acc"]);
    assertEquals(r.body.params, ["big", "lr"]);
    assert(r.body.tags.includes("team") && r.body.tags.includes("mlflow.runName"));
  });
});

Deno.test("runs-table change check: with nothing written since the snapshot, a poll does not search", async () => {
  await withApp(async (env) => {
    const { exp, ids } = await seed(env, 3);
    const body = { experiment_ids: [exp], columns: ["a:name", "m:acc"], limit: 3 };
    const first = await env.post(TABLE, body);
    // Count the searches the real store serves (the calls still go through).
    let searches = 0;
    const search = env.store.searchRuns.bind(env.store);
    env.store.searchRuns = (q) => (searches++, search(q));
    const check = (extra: Record<string, unknown> = {}) =>
      env.post(TABLE, { ...body, check_snapshot: first.body.snapshot, ...extra });
    assertEquals((await check()).body.unchanged, true);
    const idleRows = await check({ with_rows: true });
    assertEquals([idleRows.body.unchanged, idleRows.body.rows.length], [true, 3]);
    assertEquals(searches, 0);
    // A write: the next poll searches once, finds the same list, and sends the new value.
    await env.post("runs/log-metric", { run_id: ids[2], key: "acc", value: 7, timestamp: 9, step: 5 });
    const fresh = await check({ with_rows: true });
    assertEquals(fresh.body.unchanged, true);
    assertEquals(fresh.body.rows[0].cells, ["r2", 7]);
    assertEquals(searches, 1);
    // ...and the one after that is free again.
    assertEquals((await check()).body.unchanged, true);
    assertEquals(searches, 1);
    const count = await env.store.changeCount();
    await env.post("runs/set-tag", { run_id: ids[0], key: "k", value: "v" });
    assert((await env.store.changeCount()) !== count, "a write changes the count");
  });
});
