/// <reference lib="dom" />
// UI benchmark: seeds a tracker over REST with 10k runs × 20 params × 20 metrics and 10 runs × 100k
// steps, then measures in headless Chromium the time to an interactive runs table, the time to drawn
// charts (1 run and 10 runs overlaid, 1M points), and long tasks while scrolling through all 10k rows.
// Prints a table; targets: ≤ 1 s each, no long task > 50 ms.
//
//   deno run -A bench/ui/main.ts [--runs 10000] [--long-runs 10] [--steps 100000] [--repeat 5] [--wheel-px 400]
//                                [--scroll-only]   (seed the runs only; measure the table and scrolling)
//                                [--url http://host:port/?e=ID]   (table and scrolling of a seeded tracker)

import { parseArgs } from "node:util";
import { launchBrowser, type Page } from "../../tests/browser/support/browser.ts";
import { Rest } from "../../tests/browser/support/rest.ts";
import { startTracker } from "../../tests/browser/support/server.ts";
import { seedLong, seedWide } from "./seed.ts";
import { mainThreadTasks, overBudget } from "./main-thread.ts";

const { values: opt } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    "long-runs": { type: "string", default: "10" },
    steps: { type: "string", default: "100000" },
    repeat: { type: "string", default: "5" },
    "wheel-px": { type: "string", default: "400" },
    "scroll-only": { type: "boolean", default: false },
    url: { type: "string" },
  },
});
const RUNS = Number(opt.runs), LONG = Number(opt["long-runs"]), STEPS = Number(opt.steps);
const REPEAT = Number(opt.repeat);
const WHEEL_PX = Number(opt["wheel-px"]);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${Math.round(ms)} ms`;

async function markTime(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 60_000 });
  return await page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name);
}

/** ms from navigation start until the table is hydrated with its first rows on screen. */
async function tableTime(page: Page, url: string): Promise<number> {
  await page.goto(url);
  const t = await markTime(page, "tracker-hydrated");
  const rows = await page.$$eval(".grid-row[data-run-id]", (els) => els.length);
  if (rows < 10) throw new Error(`only ${rows} rows rendered`);
  return t;
}

async function chartTime(page: Page, url: string, key: string): Promise<{ ms: number; caption: string }> {
  await page.goto(url);
  const ms = await markTime(page, `tracker-chart:${key}`);
  const caption = await page.textContent(`.chart-panel[data-metric="${key}"] figcaption .muted`) ?? "";
  return { ms, caption };
}

/** Scrolls the grid from top to bottom in wheel-sized steps, then jumps around; collects long tasks. */
async function scrollLongTasks(page: Page, url: string) {
  await page.goto(url);
  await markTime(page, "tracker-hydrated");
  await page.evaluate(() => {
    const w = globalThis as unknown as { __long: [number, number][] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: false });
  });
  const grid = (await page.$(".grid"))!;
  const box = (await grid.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const t0 = performance.now();
  const total = await page.$eval(".grid-body", (e) => (e as HTMLElement).offsetHeight);
  let wheels = 0;
  // WHEEL_PX per wheel event at ~60 events/s (400 px ≈ 13 rows per frame: a fast trackpad fling)
  // through all rows, then scrollbar-style jumps. Traced: each task's CPU time next to its wall time.
  const wheelTasks = await mainThreadTasks(page, async () => {
    for (let y = 0; y < total; y += WHEEL_PX) {
      await page.mouse.wheel(0, WHEEL_PX);
      wheels++;
      await page.waitForTimeout(16);
    }
  });
  const elapsed = performance.now() - t0;
  const wheelEnd = await page.evaluate(() => performance.now());
  const jumpTasks = await mainThreadTasks(page, async () => {
    for (const f of [0.5, 0.1, 0.9, 0.3, 0]) {
      await page.$eval(
        ".grid",
        (e, f) => (e.scrollTop = (e.scrollHeight - e.clientHeight) * (f as number)),
        f,
      );
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(300);
  });
  const all = await page.evaluate(() => (globalThis as unknown as { __long: [number, number][] }).__long);
  const long = all.filter(([t]) => t < wheelEnd).map(([, d]) => d);
  const jumpLong = all.filter(([t]) => t >= wheelEnd).map(([, d]) => d);
  return { wheels, elapsed, long, jumpLong, wheelCpu: wheelTasks.cpu, jumpCpu: jumpTasks.cpu };
}

function printTable(rows: [string, string, string][]) {
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(" | ")} |`;
  console.log(line(["Measure", "Workload", "Result"]));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

/** Table rows for the scroll measures: long tasks (wall time, the observer) and CPU time per task. */
function scrollRows(scroll: Awaited<ReturnType<typeof scrollLongTasks>>): [string, string, string][] {
  return [
    [
      "Browser: scrolling all rows (wheel)",
      `${scroll.wheels} wheel steps of ${WHEEL_PX} px in ${fmt(scroll.elapsed)}`,
      `${scroll.long.length} long tasks, max ${fmt(Math.max(0, ...scroll.long))}`,
    ],
    ["  same, main-thread CPU time per task", "trace: thread time of each task", overBudget(scroll.wheelCpu)],
    [
      "Browser: scrollbar jumps",
      "5 jumps (50%, 10%, 90%, 30%, 0%)",
      `${scroll.jumpLong.length} long tasks, max ${fmt(Math.max(0, ...scroll.jumpLong))}`,
    ],
    ["  same, main-thread CPU time per task", "trace: thread time of each task", overBudget(scroll.jumpCpu)],
  ];
}

/** --scroll-only: the interactive table and scrolling, without the long histories and charts. */
async function scrollOnly(tableUrl: string, seedMs: number) {
  const browser = await launchBrowser({ width: 1600, height: 1000 });
  try {
    const page = await browser.context.newPage();
    const table: number[] = [];
    for (let i = 0; i < REPEAT; i++) table.push(await tableTime(page, tableUrl));
    const scroll = await scrollLongTasks(page, tableUrl);
    printTable([
      ["Seed: runs (REST)", `${RUNS} × 20 params × 20 metrics`, opt.url ? "(given --url)" : fmt(seedMs)],
      ["Browser: interactive runs table (median)", `${RUNS} runs; navigation → hydrated`, fmt(median(table))],
      ...scrollRows(scroll),
    ]);
    console.log(
      `long tasks (ms): wheel ${JSON.stringify(scroll.long.map(Math.round))}, jumps ${
        JSON.stringify(scroll.jumpLong.map(Math.round))
      }; load average after: ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
    );
  } finally {
    await browser.close();
  }
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

if (opt.url) {
  await scrollOnly(opt.url, 0);
  Deno.exit(0);
}

const tracker = await startTracker();
const rest = new Rest(tracker.url);
try {
  console.error(`seeding ${RUNS} runs × 20 params × 20 metrics ...`);
  const [wide, wideMs] = await timed(() => seedWide(rest, "bench-wide", RUNS));
  if (opt["scroll-only"]) {
    await scrollOnly(`${tracker.url}/?e=${wide.experimentId}`, wideMs);
    await tracker.stop();
    Deno.exit(0);
  }
  console.error(`  ${fmt(wideMs)}; seeding ${LONG} runs × ${STEPS} steps ...`);
  const [long, longMs] = await timed(() => seedLong(rest, "bench-long", LONG, STEPS));
  console.error(`  ${fmt(longMs)}`);

  // Server side, for context: a fresh table window (one search over all runs) and a later window.
  const tableBody = {
    experiment_ids: [wide.experimentId],
    columns: ["a:name", "a:created", "a:duration", "a:status", "m:metric_00", "m:metric_01", "p:param_00"],
    limit: 200,
  };
  const post = (b: unknown) =>
    fetch(`${tracker.url}/ajax-api/2.0/tracker/runs-table`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(b),
    }).then((r) => r.json());
  const fresh: number[] = [], later: number[] = [], sorted: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const [w, ms] = await timed(() => post(tableBody));
    fresh.push(ms);
    later.push((await timed(() => post({ ...tableBody, offset: 5000, snapshot: w.snapshot })))[1]);
    sorted.push((await timed(() => post({ ...tableBody, sort: "m:metric_03", asc: true })))[1]);
  }

  const browser = await launchBrowser({ width: 1600, height: 1000 });
  try {
    const page = await browser.context.newPage();
    const tableUrl = `${tracker.url}/?e=${wide.experimentId}`;
    const table: number[] = [];
    for (let i = 0; i < REPEAT; i++) table.push(await tableTime(page, tableUrl));
    const one: number[] = [], ten: number[] = [];
    let oneCaption = "", tenCaption = "";
    for (let i = 0; i < REPEAT; i++) {
      const a = await chartTime(page, `${tracker.url}/runs/${long.runIds[0]}?tab=charts&charts=loss`, "loss");
      one.push(a.ms);
      oneCaption = a.caption;
      const b = await chartTime(
        page,
        `${tracker.url}/compare?runs=${long.runIds.join(",")}&charts=loss`,
        "loss",
      );
      ten.push(b.ms);
      tenCaption = b.caption;
    }
    // After the browser runs: the histories are cached by now, so this is the warm server cost.
    const seriesUrl = `${tracker.url}/ajax-api/2.0/tracker/metric-series?key=loss&buckets=1000&` +
      long.runIds.map((id) => `run_ids=${id}`).join("&");
    const series: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      series.push((await timed(() => fetch(seriesUrl).then((r) => r.json())))[1]);
    }
    const scroll = await scrollLongTasks(page, tableUrl);
    const maxLong = Math.max(0, ...scroll.long);
    const maxJump = Math.max(0, ...scroll.jumpLong);

    const rows: [string, string, string][] = [
      ["Seed: runs (REST)", `${RUNS} × 20 params × 20 metrics`, fmt(wideMs)],
      ["Seed: long histories (REST)", `${LONG} × ${STEPS} steps`, fmt(longMs)],
      ["Server: runs-table, new query (median)", `${RUNS} runs, 7 columns, 200 rows`, fmt(median(fresh))],
      ["Server: runs-table, sorted by a metric", "same", fmt(median(sorted))],
      ["Server: runs-table, later window (snapshot)", "rows 5000–5199", fmt(median(later))],
      ["Server: metric-series, 10 runs, cached", `${LONG * STEPS} points → ≤4/bucket`, fmt(median(series))],
      ["Browser: interactive runs table (median)", `${RUNS} runs; navigation → hydrated`, fmt(median(table))],
      ["Browser: chart drawn, 1 run, first load", `${STEPS} points, history not cached`, fmt(one[0])],
      ["Browser: chart drawn, 1 run (median)", `${STEPS} points; ${oneCaption}`, fmt(median(one))],
      [
        "Browser: chart drawn, 10 runs, first load",
        `${LONG * STEPS} points, 9 histories not cached`,
        fmt(ten[0]),
      ],
      ["Browser: chart drawn, 10 runs (median)", `${LONG * STEPS} points; ${tenCaption}`, fmt(median(ten))],
      ...scrollRows(scroll),
    ];
    printTable(rows);
    console.log(
      `\nTargets: interactive table ≤ 1000 ms (${median(table) <= 1000 ? "met" : "MISSED"}), ` +
        `drawn chart ≤ 1000 ms (median ${Math.max(median(one), median(ten)) <= 1000 ? "met" : "MISSED"}, ` +
        `first load ${Math.max(one[0], ten[0]) <= 1000 ? "met" : "MISSED"}), ` +
        `no long task > 50 ms while scrolling (${Math.max(maxLong, maxJump) <= 50 ? "met" : "MISSED"}; ` +
        `by CPU time per task ${
          Math.max(0, ...scroll.wheelCpu, ...scroll.jumpCpu) <= 50 ? "met" : "MISSED"
        }).`,
    );
    console.log(
      `Runs: ${REPEAT} page loads each; long tasks (ms): wheel ${
        JSON.stringify(scroll.long.map(Math.round))
      }, ` +
        `jumps ${JSON.stringify(scroll.jumpLong.map(Math.round))}; ` +
        `load average after: ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
    );
  } finally {
    await browser.close();
  }
} finally {
  await tracker.stop();
}
