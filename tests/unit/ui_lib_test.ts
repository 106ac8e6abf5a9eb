// Pure UI helpers shared by the server and the islands: URL state, columns, markdown safety, CSV,
// MLmodel signatures, MLflow hash links, smoothing and colours.

import { renderToString } from "preact-render-to-string";
import { assert, assertEquals } from "./routes_harness.ts";
import { columnId, orderByFor, parseColumnId, quoteKey } from "../../ui/lib/columns.ts";
import { MAX_URL_RUNS, parseRunsView, runsViewQuery } from "../../ui/lib/view-state.ts";
import { renderMarkdown, safeUrl } from "../../ui/lib/markdown.tsx";
import { mlmodelSignature, parseCsv, previewKind } from "../../ui/lib/artifact-kind.ts";
import { mlflowHashTarget } from "../../ui/lib/hash-links.ts";
import { ema, meanStd } from "../../ui/lib/smoothing.ts";
import { colorFor, dashesFor } from "../../ui/lib/colors.ts";
import { jsonForScript } from "../../ui/pages/island.tsx";
import { parseRunFilter, parseRunOrderBy } from "../../src/search/mod.ts";

Deno.test("view state round-trips through the URL", () => {
  const s = {
    experimentIds: ["1", "22"],
    filter: "metrics.acc > 0.5 and params.x = 'a,b'",
    sort: "m:val loss",
    asc: true,
    columns: [{ kind: "a" as const, key: "name" }, { kind: "p" as const, key: "lr/x y" }],
    view: "all" as const,
    widths: { "a:name": 310, "m:a:b": 90 },
    selected: ["0123456789abcdef0123456789abcdef", "r2"],
    expanded: ["p1"],
  };
  assertEquals(parseRunsView(new URLSearchParams(runsViewQuery(s))), s);
  assertEquals(
    runsViewQuery({
      ...s,
      columns: null,
      view: "active",
      sort: "",
      filter: "",
      asc: false,
      widths: {},
      selected: [],
      expanded: [],
    }),
    "?e=1%2C22",
  );
  // Garbage in the URL is dropped, not trusted.
  const g = parseRunsView(new URLSearchParams("e=1,../x,&sort=zz&cols=a:bogus,m:ok&view=weird"));
  assertEquals(g.experimentIds, ["1"]);
  assertEquals(g.sort, "");
  assertEquals(g.columns, [{ kind: "m", key: "ok" }]);
  assertEquals(g.view, "active");
  // Widths are clamped; malformed items, unknown columns and bad run ids are dropped.
  const w = parseRunsView(
    new URLSearchParams("w=a:name:5,m:x y:99999,a:bogus:100,m:z:abc,p:k:120&sel=ok1,<x>,ok1&open=../p"),
  );
  assertEquals(w.widths, { "a:name": 40, "p:k": 120 });
  assertEquals(w.selected, ["ok1"]);
  assertEquals(w.expanded, []);
  // A huge selection stays out of the URL beyond the cap.
  const many = Array.from({ length: MAX_URL_RUNS + 50 }, (_, i) => `r${i}`);
  const q = runsViewQuery({ ...w, experimentIds: ["1"], selected: many });
  assertEquals(parseRunsView(new URLSearchParams(q)).selected, many.slice(0, MAX_URL_RUNS));
});

Deno.test("column ids and their order_by clauses parse with the search grammar", () => {
  assertEquals(parseColumnId("m:a:b"), { kind: "m", key: "a:b" });
  assertEquals(parseColumnId("a:nope"), null);
  assertEquals(columnId({ kind: "t", key: "x" }), "t:x");
  // MLflow's key rule allows word characters, "/", ".", "-", " " and ":" (no quotes or backticks).
  for (const key of ["plain", "with space", "a/b:c-d.e", "ünï"]) {
    for (const kind of ["m", "p", "t"] as const) {
      const clause = orderByFor({ kind, key }, true)!;
      const [term] = parseRunOrderBy([clause]);
      assertEquals(term.key, key, clause);
      assertEquals(term.ascending, true);
    }
    parseRunFilter(`params.${quoteKey(key)} = 'v'`);
  }
  assertEquals(orderByFor({ kind: "a", key: "duration" }, true), null);
  parseRunOrderBy([orderByFor({ kind: "a", key: "source" }, false)!]);
});

Deno.test("markdown: no raw HTML, only safe link schemes", () => {
  const html = renderToString(
    renderMarkdown(
      "# T\n<b onmouseover=x>hi</b> **bold** `code`\n\n- [a](javascript:alert(1))\n- [b](java\nscript:x)\n" +
        "- [c](https://ok.example/x) [d](/runs/1) [e](data:text/html,x)\n\n```\n<script>\n```",
    ),
  );
  assert(!html.includes("<b onmouseover"), html);
  assert(html.includes("&lt;b onmouseover=x>hi&lt;/b>"), html);
  assert(html.includes("<strong>bold</strong>") && html.includes("<code>code</code>"), html);
  assert(!/href="(javascript|data):/i.test(html), html);
  assert(html.includes('href="https://ok.example/x"') && html.includes('href="/runs/1"'), html);
  assert(html.includes("<pre><code>&lt;script>"), html);
  assertEquals(safeUrl(" JavaScript:alert(1)"), null);
  assertEquals(safeUrl("vbscript:x"), null);
  assertEquals(safeUrl("docs/readme.md"), "docs/readme.md");
});

Deno.test("islands JSON cannot close its script element", () => {
  const s = jsonForScript({ a: "</script><script>alert(1)</script>", b: "<!--", c: "\u2028" });
  assert(!s.includes("<") && !s.includes(">"), s);
  assertEquals(JSON.parse(s), { a: "</script><script>alert(1)</script>", b: "<!--", c: "\u2028" });
});

Deno.test("CSV preview parser: quotes, separators, row limit", () => {
  assertEquals(parseCsv('a,b\n"x,1","he said ""hi"""\r\n3,4\n', ",", 10), [["a", "b"], [
    "x,1",
    'he said "hi"',
  ], ["3", "4"]]);
  assertEquals(parseCsv("a\tb\n1\t2", "\t", 1), [["a", "b"]]);
});

Deno.test("preview kinds and MLmodel signature", () => {
  assertEquals(previewKind("plots/loss.PNG"), "image");
  assertEquals(previewKind("model/MLmodel"), "mlmodel");
  assertEquals(previewKind("report.html"), "html");
  assertEquals(previewKind("data.tsv"), "csv");
  assertEquals(previewKind("model/requirements.txt"), "text");
  assertEquals(previewKind("weights.bin"), "none");
  const yaml = 'artifact_path: model\nsignature:\n  inputs: \'[{"type": "double", "name": "x"}]\'\n' +
    '  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]\'\n' +
    "  params: null\nutc_time_created: '2026'\n";
  const sig = mlmodelSignature(yaml)!;
  assertEquals(sig.inputs, [{ name: "x", type: "double" }]);
  assertEquals(sig.outputs[0].name, "[0]");
  assert(sig.outputs[0].type.startsWith("tensor"));
  assertEquals(mlmodelSignature("flavors: {}\n"), null);
});

Deno.test("MLflow hash links map to tracker pages", () => {
  assertEquals(mlflowHashTarget("#/experiments/3/runs/abc123", ""), "/runs/abc123");
  assertEquals(mlflowHashTarget("#/experiments/3", "/p"), "/p?e=3");
  assertEquals(mlflowHashTarget('#/compare-runs?runs=["a","b"]&experiments=["1"]', ""), "/compare?runs=a,b");
  assertEquals(mlflowHashTarget("#section", ""), null);
});

Deno.test("EMA smoothing is debiased and keeps gaps; mean/std per position", () => {
  assertEquals(ema([1, 1, 1], 0.9), [1, 1, 1]);
  const s = ema([0, null, 10], 0.5);
  assertEquals(s[1], null);
  assert(Math.abs(s[2]! - 20 / 3) < 1e-9, String(s[2]));
  const { mean, std } = meanStd([[1, null], [3, 5]], 2);
  assertEquals(mean, [2, 5]);
  assertEquals(std, [1, 0]);
});

Deno.test("colours depend on the id alone; a shared colour within a view is told apart by a dash", () => {
  assertEquals(colorFor("run-a"), colorFor("run-a"));
  const ids = Array.from({ length: 40 }, (_, i) => `run-${i}`);
  const dashes = dashesFor(ids.map(colorFor));
  const firsts = ids.filter((_, i) => !dashes[i]);
  // Exactly one undashed run per colour used; every other run of that colour is dashed.
  assertEquals(firsts.length, new Set(ids.map(colorFor)).size);
  assertEquals(new Set(firsts.map(colorFor)).size, firsts.length);
  assertEquals(dashesFor([colorFor("x")]), [undefined]);
});
