// `experiments/search-datasets` (the UI's dataset summaries) through the real app and KV store.

import { AJAX, assertEquals, assertError, withApp } from "./routes_harness.ts";

const dataset = (name: string, digest: string) => ({ name, digest, source_type: "code", source: "{}" });

Deno.test("search-datasets: distinct summaries with context, across runs and experiments", () =>
  withApp(async (t) => {
    const e1 = await t.experiment();
    const e2 = await t.experiment();
    const r1 = await t.run(e1);
    const r2 = await t.run(e1);
    const r3 = await t.run(e2);
    const ctx = (v: string) => [{ key: "mlflow.data.context", value: v }];
    await t.post("runs/log-inputs", {
      run_id: r1,
      datasets: [{ dataset: dataset("train", "d1"), tags: ctx("training") }],
    });
    await t.post("runs/log-inputs", {
      run_id: r2,
      datasets: [{ dataset: dataset("train", "d1"), tags: ctx("training") }],
    });
    await t.post("runs/log-inputs", { run_id: r2, datasets: [{ dataset: dataset("eval", "d2") }] });
    await t.post("runs/log-inputs", {
      run_id: r3,
      datasets: [{ dataset: dataset("other", "d3"), tags: ctx("eval") }],
    });
    await t.post("runs/delete", { run_id: r3 });

    const r = await t.post(`${AJAX}/experiments/search-datasets`, { experiment_ids: [e1, e2] });
    assertEquals(r.status, 200, r.text);
    const got = r.body.dataset_summaries.map((s: Record<string, string>) => JSON.stringify(s)).sort();
    assertEquals(
      got,
      [
        JSON.stringify({ experiment_id: e1, name: "eval", digest: "d2" }),
        JSON.stringify({ experiment_id: e1, name: "train", digest: "d1", context: "training" }),
        JSON.stringify({ experiment_id: e2, name: "other", digest: "d3", context: "eval" }),
      ].sort(),
    );

    assertError(await t.post(`${AJAX}/experiments/search-datasets`, {}), 400, "INVALID_PARAMETER_VALUE");
    const many = Array.from({ length: 21 }, (_, i) => String(i));
    assertError(
      await t.post(`${AJAX}/experiments/search-datasets`, { experiment_ids: many }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    // MLflow serves it under the ajax prefix only.
    assertEquals((await t.post("experiments/search-datasets", { experiment_ids: [e1] })).status, 404);
  }));
