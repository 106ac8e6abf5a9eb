// Metric endpoints through the real app and KV store: log-metric (#16), get-history paging (#24),
// get-history-bulk-interval (#25) and the ajax-only get-history-bulk (#28).

import { AJAX, API, assert, assertEquals, assertError, type Json, withApp } from "./routes_harness.ts";

Deno.test("log-metric: NaN and ±Infinity round-trip as strings; numbers may arrive as strings", () =>
  withApp(async (t) => {
    const id = await t.run();
    const values: [unknown, unknown][] = [
      ["NaN", "NaN"],
      ["Infinity", "Infinity"],
      ["-Infinity", "-Infinity"],
      ["1.5", 1.5],
      [2, 2],
      [-0.25, -0.25],
      ["1e3", 1000],
    ];
    for (const [i, [value]] of values.entries()) {
      const r = await t.post("runs/log-metric", {
        run_id: id,
        key: "m",
        value,
        timestamp: String(i),
        step: i,
      });
      assertEquals(r.status, 200, r.text);
      assertEquals(r.body, {});
    }
    const h = await t.get("metrics/get-history", { run_id: id, metric_key: "m" });
    assertEquals(h.body.metrics.map((m: Json) => m.value), values.map(([, out]) => out));
    assertEquals(h.body.metrics[3], { key: "m", value: 1.5, timestamp: 3, step: 3 });
    // The raw JSON holds the strings, never null or bare NaN.
    assert(h.text.includes('"value":"NaN"') && !h.text.includes("null"), h.text);
    // step defaults to 0.
    await t.post("runs/log-metric", { run_id: id, key: "nostep", value: 1, timestamp: 1 });
    assertEquals(
      (await t.get("metrics/get-history", { run_id: id, metric_key: "nostep" })).body.metrics[0].step,
      0,
    );
  }));

Deno.test("log-metric: optional MLflow 3 fields are stored and echoed", () =>
  withApp(async (t) => {
    const id = await t.run();
    await t.post("runs/log-metric", {
      run_id: id,
      key: "m",
      value: 1,
      timestamp: 1,
      dataset_name: "ds",
      dataset_digest: "dg",
      model_id: "m-1",
    });
    const m = (await t.get("metrics/get-history", { run_id: id, metric_key: "m" })).body.metrics[0];
    assertEquals(m.dataset_name, "ds");
    assertEquals(m.dataset_digest, "dg");
    assertEquals(m.model_id, "m-1");
  }));

Deno.test("log-metric: missing and malformed fields → 400 with MLflow's wording, nothing written", () =>
  withApp(async (t) => {
    const id = await t.run();
    const before = await t.snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ key: "m", value: 1 }, "Missing value for required parameter 'timestamp'"],
      [{ key: "m", timestamp: 1 }, "Missing value for required parameter 'value'"],
      [{ value: 1, timestamp: 1 }, "Missing value for required parameter 'key'"],
      [{ key: "m", value: "abc", timestamp: 1 }, "for parameter 'value'"],
      [{ key: "m", value: true, timestamp: 1 }, "for parameter 'value'"],
      [{ key: "m", value: null, timestamp: 1 }, "Missing value for required parameter 'value'"],
      [{ key: "m", value: 1, timestamp: "soon" }, "for parameter 'timestamp'"],
      [{ key: "m", value: 1, timestamp: 1, step: "x" }, "for parameter 'step'"],
      [{ key: "m", value: 1, timestamp: 1, step: 1.5 }, "for parameter 'step'"],
      [{ key: "m", value: 1, timestamp: -1 }, "Timestamp must be a nonnegative long"],
      [{ key: "a//b", value: 1, timestamp: 1 }, "for parameter 'name'"],
      [{ key: "k".repeat(251), value: 1, timestamp: 1 }, "'Metric name' exceeds the maximum length of 250"],
    ];
    for (const [body, message] of cases) {
      assertError(
        await t.post("runs/log-metric", { run_id: id, ...body }),
        400,
        "INVALID_PARAMETER_VALUE",
        message,
      );
    }
    assertEquals(await t.snapshot(), before);
    assertError(
      await t.post("runs/log-metric", { key: "m", value: 1, timestamp: 1 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'run_id'",
    );
    await t.post("runs/delete", { run_id: id });
    assertError(
      await t.post("runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: 1 }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));

Deno.test("get-history: paging as the Python client drives it; unknown key → {}; unknown run → 404", () =>
  withApp(async (t) => {
    const id = await t.run();
    const metrics = Array.from(
      { length: 25 },
      (_, i) => ({ key: "loss", value: i, timestamp: 100 + i, step: i }),
    );
    assertEquals((await t.post("runs/log-batch", { run_id: id, metrics })).status, 200);

    const all = await t.get("metrics/get-history", { run_id: id, metric_key: "loss" });
    assertEquals(all.body.metrics.length, 25);
    assertEquals("next_page_token" in all.body, false);

    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q: Record<string, string | number> = { run_id: id, metric_key: "loss", max_results: 10 };
      if (token) q.page_token = token;
      const page = await t.get("metrics/get-history", q);
      assertEquals(page.status, 200, page.text);
      seen.push(...page.body.metrics.map((m: Json) => m.step));
      token = page.body.next_page_token;
      pages++;
    } while (token);
    assertEquals(pages, 3);
    assertEquals(seen, Array.from({ length: 25 }, (_, i) => i));

    // A page that ends exactly at the last point carries no token.
    const exact = await t.get("metrics/get-history", { run_id: id, metric_key: "loss", max_results: 25 });
    assertEquals(exact.body.metrics.length, 25);
    assertEquals("next_page_token" in exact.body, false);

    assertEquals((await t.get("metrics/get-history", { run_id: id, metric_key: "nope" })).body, {});
    assertError(
      await t.get("metrics/get-history", { run_id: "0123456789abcdef0123456789abcdef", metric_key: "loss" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(
      await t.get("metrics/get-history", { run_id: id, metric_key: "loss", max_results: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "positive integer",
    );
    assertError(
      await t.get("metrics/get-history", { run_id: id, metric_key: "loss", page_token: "???" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.get("metrics/get-history", { run_id: id }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'metric_key'",
    );
  }));

Deno.test("get-history-bulk-interval: sampling keeps each run's first and last step", () =>
  withApp(async (t) => {
    const a = await t.run();
    const b = await t.run();
    const points = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ key: "m", value: i, timestamp: i, step: from + i }));
    await t.post("runs/log-batch", { run_id: a, metrics: points(100) });
    await t.post("runs/log-batch", { run_id: b, metrics: points(3, 500) });

    const r = await t.get("metrics/get-history-bulk-interval", {
      run_ids: [a, b],
      metric_key: "m",
      max_results: 10,
    });
    assertEquals(r.status, 200, r.text);
    const stepsOf = (id: string) =>
      r.body.metrics.filter((m: Json) => m.run_id === id).map((m: Json) => m.step);
    // Union of steps 0..99 and 500..502: 103 steps, every 10.3rd kept plus each run's bounds (CPython-checked).
    assertEquals(stepsOf(a), [0, 10, 20, 30, 41, 51, 61, 72, 82, 92, 99]);
    assertEquals(stepsOf(b), [500, 502]);
    assert(r.body.metrics.every((m: Json) => m.key === "m" && typeof m.timestamp === "number"));

    const ranged = await t.get("metrics/get-history-bulk-interval", {
      run_ids: a,
      metric_key: "m",
      start_step: 10,
      end_step: 20,
      max_results: 5,
    });
    assertEquals(ranged.body.metrics.map((m: Json) => m.step), [10, 12, 14, 16, 18, 20]);

    const full = await t.get("metrics/get-history-bulk-interval", { run_ids: a, metric_key: "m" });
    assertEquals(full.body.metrics.length, 100);
    assertEquals(
      (await t.get("metrics/get-history-bulk-interval", { run_ids: a, metric_key: "other" })).body,
      {},
    );
  }));

Deno.test("get-history-bulk-interval: validation", () =>
  withApp(async (t) => {
    const a = await t.run();
    const q = (extra: Record<string, string | number | (string | number)[]>) =>
      t.get("metrics/get-history-bulk-interval", { run_ids: a, metric_key: "m", ...extra });
    assertError(
      await q({ max_results: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "max_results must be between 1 and 2500",
    );
    assertError(
      await q({ max_results: 2501 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "max_results must be between 1 and 2500",
    );
    assertError(await q({ start_step: 5 }), 400, "INVALID_PARAMETER_VALUE", "both must be specified");
    assertError(await q({ end_step: 5 }), 400, "INVALID_PARAMETER_VALUE", "both must be specified");
    assertError(
      await q({ start_step: 5, end_step: 4 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "end_step must be greater",
    );
    assertError(
      await t.get("metrics/get-history-bulk-interval", {
        run_ids: Array.from({ length: 101 }, () => a),
        metric_key: "m",
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "at most 100 run_ids. Received 101 run_ids",
    );
    assertError(
      await t.get("metrics/get-history-bulk-interval", { metric_key: "m" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'run_ids'",
    );
    assertError(
      await t.get("metrics/get-history-bulk-interval", { run_ids: a }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'metric_key'",
    );
    assertError(
      await t.get("metrics/get-history-bulk-interval", {
        run_ids: "0123456789abcdef0123456789abcdef",
        metric_key: "m",
      }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
  }));

Deno.test("get-history-bulk: ajax only; sorted by run id then (timestamp, step, value); capped", () =>
  withApp(async (t) => {
    const ids = [await t.run(), await t.run()].sort();
    await t.post("runs/log-batch", {
      run_id: ids[1],
      metrics: [
        { key: "m", value: 3, timestamp: 2, step: 0 },
        { key: "m", value: 1, timestamp: 1, step: 5 },
        { key: "m", value: 2, timestamp: 1, step: 5 },
      ],
    });
    await t.post("runs/log-batch", {
      run_id: ids[0],
      metrics: [{ key: "m", value: "NaN", timestamp: 9, step: 9 }],
    });

    const r = await t.get(`${AJAX}/metrics/get-history-bulk`, { run_id: [ids[1], ids[0]], metric_key: "m" });
    assertEquals(r.status, 200, r.text);
    assertEquals(r.body.metrics, [
      { key: "m", value: "NaN", timestamp: 9, step: 9, run_id: ids[0] },
      { key: "m", value: 1, timestamp: 1, step: 5, run_id: ids[1] },
      { key: "m", value: 2, timestamp: 1, step: 5, run_id: ids[1] },
      { key: "m", value: 3, timestamp: 2, step: 0, run_id: ids[1] },
    ]);
    const capped = await t.get(`${AJAX}/metrics/get-history-bulk`, {
      run_id: ids,
      metric_key: "m",
      max_results: 2,
    });
    assertEquals(capped.body.metrics.length, 2);
    // Unknown runs contribute nothing.
    const unknown = await t.get(`${AJAX}/metrics/get-history-bulk`, {
      run_id: "0123456789abcdef0123456789abcdef",
      metric_key: "m",
    });
    assertEquals(unknown.body, { metrics: [] });

    assertError(
      await t.get(`${AJAX}/metrics/get-history-bulk`, { metric_key: "m" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "at least one run_id",
    );
    assertError(
      await t.get(`${AJAX}/metrics/get-history-bulk`, { run_id: ids }),
      400,
      "INVALID_PARAMETER_VALUE",
      "metric_key",
    );
    assertError(
      await t.get(`${AJAX}/metrics/get-history-bulk`, {
        run_id: Array.from({ length: 101 }, () => ids[0]),
        metric_key: "m",
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "more than 100 run_ids",
    );
    assertError(
      await t.get(`${API}/metrics/get-history-bulk`, { run_id: ids, metric_key: "m" }),
      404,
      "ENDPOINT_NOT_FOUND",
    );
  }));
