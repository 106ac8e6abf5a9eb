/// <reference lib="dom" />
// Charts in a real browser (Debian's Chromium through playwright-core) against a real tracker process
// seeded over REST: the experiments page's chart view of selected runs, stable run colours across pages,
// x axis by another metric, live points of a RUNNING run, the system metrics tab, scatter and parallel
// coordinates. Every wait is on a condition, never on a fixed delay.

import type { Page } from "./support/browser.ts";
import { assert, assertEquals } from "../unit/routes_harness.ts";
import { countColor, hydrated } from "./support/page.ts";
import { uiTest } from "./support/ui-test.ts";
import { colorFor } from "../../ui/lib/colors.ts";

/** A chart panel that finished drawing (scrolled to, since charts load when they come near the view). */
async function readyChart(page: Page, scope: string, key: string): Promise<string> {
  const sel = `${scope} .chart-panel[data-metric="${key}"]`;
  await page.locator(sel).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${sel}[data-status="ready"] canvas`);
  return sel;
}

function points(step0: number, n: number, key: string, f: (s: number) => number, t0 = Date.now()) {
  return Array.from({ length: n }, (_, i) => ({
    key,
    value: f(step0 + i),
    step: step0 + i,
    timestamp: t0 + (step0 + i) * 1000,
  }));
}

uiTest("charts in Chromium", {}, async ({ url, rest, page }, t) => {
  const exp = await rest.createExperiment("charts-exp");
  const t0 = Date.now() - 3_600_000;
  const mk = async (name: string, lr: string, scale: number) => {
    const id = await rest.createRun(exp, { name, startTime: t0 });
    await rest.logBatch(id, {
      params: { lr },
      metrics: [
        ...points(0, 50, "loss", (s) => scale / (1 + s), t0),
        ...points(0, 50, "acc", (s) => 1 - scale / (2 + s), t0),
      ],
    });
    return id;
  };
  const a = await mk("run-a", "0.1", 1);
  const b = await mk("run-b", "0.01", 2);
  await rest.logBatch(a, {
    metrics: [
      ...points(0, 30, "system/cpu_utilization_percentage", (s) => 20 + (s % 7), t0),
      ...points(0, 30, "system/system_memory_usage_megabytes", (s) => 900 + s, t0),
      ...points(0, 30, "system/network_receive_megabytes", (s) => s * 0.5, t0),
    ],
  });
  await rest.finish(a);
  await rest.finish(b);

  await t.step(
    "selected runs are charted on the experiments page in their compare-page colours",
    async () => {
      await page.goto(`${url}/?e=${exp}`);
      await hydrated(page);
      await page.check(`input[aria-label="Select run ${a}"]`);
      await page.check(`input[aria-label="Select run ${b}"]`);
      await page.click("button.runs-charts-toggle");
      await page.waitForSelector('.runs-charts[data-runs="2"]');
      const sel = await readyChart(page, ".runs-charts", "loss");
      assert(new URL(page.url()).searchParams.get("chart_view") === "1", page.url());
      const legend = await page.textContent(`${sel} .u-legend`) ?? "";
      assert(legend.includes("run-a") && legend.includes("run-b"), legend);
      for (const id of [a, b]) {
        assert(
          await countColor(page, `${sel} canvas`, colorFor(id)) > 20,
          `colour of ${id} on the panel`,
        );
      }
      assertEquals(
        await page.textContent(".runs-charts .runs-charts-bar .muted"),
        "Charts of 2 selected runs",
      );
      // The latest values of both runs in the scatter and parallel coordinates below the charts.
      assertEquals(await page.$$eval(".runs-charts svg.scatter circle", (els) => els.length), 2);
      assertEquals(await page.$$eval(".runs-charts svg.parallel polyline", (els) => els.length), 2);
      // Unselecting a run takes its line out of the charts.
      await page.uncheck(`input[aria-label="Select run ${b}"]`);
      await page.waitForSelector('.runs-charts[data-runs="1"]');
      await page.waitForFunction(
        (s) => !document.querySelector(`${s} .u-legend`)?.textContent?.includes("run-b"),
        '.runs-charts .chart-panel[data-metric="loss"]',
      );
      await page.check(`input[aria-label="Select run ${b}"]`);
      await page.waitForSelector('.runs-charts[data-runs="2"]');

      await page.goto(`${url}/compare?runs=${a},${b}`);
      await hydrated(page);
      const cmp = await readyChart(page, ".compare-page", "loss");
      for (const id of [a, b]) {
        assert(await countColor(page, `${cmp} canvas`, colorFor(id)) > 20, `colour of ${id} on compare`);
      }
      const dots = await page.$$eval(
        "table.compare thead .color-dot",
        (els) => els.map((e) => getComputedStyle(e).backgroundColor),
      );
      const rgb = (hex: string) =>
        `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
      assertEquals(dots, [rgb(colorFor(a)), rgb(colorFor(b))]);
    },
  );

  await t.step(
    "the chart view stays open on reload (URL) and charts the first runs when none is selected",
    async () => {
      await page.goto(`${url}/?e=${exp}&chart_view=1&charts=acc`);
      await hydrated(page);
      await page.waitForSelector('.runs-charts[data-runs="2"]');
      await readyChart(page, ".runs-charts", "acc");
      assertEquals(await page.$$eval(".runs-charts .chart-panel", (els) => els.length), 1);
      assert((await page.textContent(".runs-charts-bar .muted"))!.includes("first 2 runs"));
    },
  );

  await t.step("x axis by another metric draws and is kept in the URL", async () => {
    await page.goto(`${url}/compare?runs=${a},${b}&charts=loss`);
    await hydrated(page);
    await readyChart(page, ".compare-page", "loss");
    await page.selectOption('.compare-page select[aria-label="X axis"]', "metric:acc");
    await page.waitForURL((u) =>
      u.searchParams.get("x") === "metric" && u.searchParams.get("x_key") === "acc"
    );
    const sel = await readyChart(page, ".compare-page", "loss");
    // The legend's first entry names the x axis.
    await page.waitForFunction(
      (s) => document.querySelector(`${s} .u-legend .u-series:first-child .u-label`)?.textContent === "acc",
      sel,
    );
    assert(await countColor(page, `${sel} canvas`, colorFor(a)) > 20, "line drawn against acc");
    assertEquals(await page.getAttribute(sel, "data-total"), "100");
  });

  await t.step("chart search charts every matching metric and is kept in the URL", async () => {
    const shownCharts = () =>
      page.$$eval(".compare-page .chart-panel", (els) => els.map((e) => e.getAttribute("data-metric")));
    await page.goto(`${url}/compare?runs=${a},${b}&charts=loss`);
    await hydrated(page);
    await readyChart(page, ".compare-page", "loss");
    await page.fill('.compare-page input[aria-label="Search charts"]', "ac");
    await page.waitForURL((u) => u.searchParams.get("chart_q") === "ac");
    await readyChart(page, ".compare-page", "acc");
    assertEquals(await shownCharts(), ["acc"]);
    await page.reload();
    await hydrated(page);
    assertEquals(await page.inputValue('.compare-page input[aria-label="Search charts"]'), "ac");
    assertEquals(await shownCharts(), ["acc"]);
    // Clearing the search brings back the chosen charts.
    await page.fill('.compare-page input[aria-label="Search charts"]', "");
    await readyChart(page, ".compare-page", "loss");
    assertEquals(await shownCharts(), ["loss"]);
  });

  await t.step("scatter and parallel coordinates draw both runs in their colours", async () => {
    const fills = await page.$$eval(
      "svg.scatter circle",
      (els) => els.map((e) => [e.getAttribute("data-run-id"), e.getAttribute("stroke")]),
    );
    assertEquals(fills.sort(), [[a, colorFor(a)], [b, colorFor(b)]].sort());
    const lines = await page.$$eval(
      "svg.parallel polyline",
      (els) => els.map((e) => [e.getAttribute("data-run-id"), e.getAttribute("stroke")]),
    );
    assertEquals(lines.sort(), [[a, colorFor(a)], [b, colorFor(b)]].sort());
    // Each line crosses every axis (lr, and the metrics).
    const n = await page.$eval(
      "svg.parallel polyline",
      (e) => e.getAttribute("points")!.split(" ").length,
    );
    assert(n >= 2, String(n));
  });

  await t.step(
    "system metrics have their own tab, grouped by kind, and stay out of the charts tab",
    async () => {
      await page.goto(`${url}/runs/${a}?tab=system`);
      await hydrated(page);
      assertEquals(await page.textContent('.tabs a[aria-selected="true"]'), "System metrics");
      const sections = await page.$$eval(
        ".chart-section",
        (els) => els.map((e) => e.getAttribute("data-section")),
      );
      assertEquals(sections, ["CPU", "Memory", "Network"]);
      for (const key of ["system/cpu_utilization_percentage", "system/system_memory_usage_megabytes"]) {
        await readyChart(page, ".run-page", key);
      }
      // The overview's metrics table links every key to ?tab=charts; a system metric opens its own tab.
      await page.goto(
        `${url}/runs/${a}?tab=charts&charts=system/disk_usage_percentage,system/cpu_utilization_percentage`,
      );
      await hydrated(page);
      assertEquals(await page.textContent('.tabs a[aria-selected="true"]'), "System metrics");
      await readyChart(page, ".run-page", "system/cpu_utilization_percentage");
      await page.goto(`${url}/runs/${a}?tab=charts`);
      await hydrated(page);
      await readyChart(page, ".run-page", "loss");
      const shown = await page.$$eval(
        ".chart-panel",
        (els) => els.map((e) => e.getAttribute("data-metric")),
      );
      assertEquals(shown.sort(), ["acc", "loss"]);
      const xOptions = await page.$$eval(
        'select[aria-label="X axis"] option',
        (els) => els.map((e) => (e as HTMLOptionElement).value),
      );
      assert(
        !xOptions.some((v) => v.includes("system/")),
        xOptions.join(),
      );
    },
  );

  await t.step(
    "a RUNNING run's charts show new points without reload (run, experiments, compare pages), then stop polling",
    async () => {
      const live = await rest.createRun(exp, { name: "live-run" });
      await rest.logBatch(live, { metrics: points(0, 20, "loss", (s) => 1 / (1 + s)) });
      await page.goto(`${url}/runs/${live}?tab=charts&charts=loss`);
      await hydrated(page);
      const sel = await readyChart(page, ".run-page", "loss");
      assertEquals(await page.getAttribute(sel, "data-total"), "20");
      assertEquals(await page.getAttribute(sel, "data-live"), "1");
      // A reload would drop this marker (the URL itself changes in place as charts are added).
      await page.evaluate(() => (globalThis as unknown as { __same: boolean }).__same = true);
      // More points, and a metric the page has never seen: both appear without a reload.
      await rest.logBatch(live, {
        metrics: [
          ...points(20, 30, "loss", (s) => 1 / (1 + s)),
          ...points(0, 5, "lr", (s) => 0.1 / (1 + s)),
        ],
      });
      await page.waitForFunction(
        (s) => document.querySelector(s)?.getAttribute("data-total") === "50",
        sel,
        {
          timeout: 30_000,
        },
      );
      // Nothing logged since: the next poll is answered 304 (no body), the chart keeps its 50 points.
      const unchanged = await page.waitForResponse(
        (r) => r.url().includes("/metric-series") && r.status() === 304,
        { timeout: 30_000 },
      );
      assertEquals(unchanged.status(), 304);
      assertEquals(await page.getAttribute(sel, "data-total"), "50");
      await page.waitForSelector('.run-page .chart-panel[data-metric="lr"][data-status="ready"]', {
        timeout: 30_000,
      });
      assert(
        await page.evaluate(() => (globalThis as unknown as { __same?: boolean }).__same === true),
        "no reload",
      );

      // The same on the experiments page's chart view (the live run is among the first rows) and on
      // the compare page: points logged after the page loaded show up there too.
      let next = 50;
      const growsOn = async (scope: string) => {
        const chart = await readyChart(page, scope, "loss");
        await page.waitForFunction(
          (s) => document.querySelector(s)?.getAttribute("data-live") === "1",
          chart,
        );
        const before = Number(await page.getAttribute(chart, "data-total"));
        await rest.logBatch(live, { metrics: points(next, 10, "loss", (s) => 1 / (1 + s)) });
        next += 10;
        await page.waitForFunction(
          ([s, n]) => document.querySelector(s as string)?.getAttribute("data-total") === String(n),
          [chart, before + 10] as [string, number],
          { timeout: 30_000 },
        );
        return chart;
      };
      await page.goto(`${url}/?e=${exp}&chart_view=1&charts=loss`);
      await hydrated(page);
      await growsOn(".runs-charts");
      await page.goto(`${url}/compare?runs=${live},${a}&charts=loss`);
      await hydrated(page);
      const cmp = await growsOn(".compare-page");
      // Once the run ends the chart stops polling.
      await rest.finish(live);
      await page.waitForFunction(
        (s) => document.querySelector(s)?.getAttribute("data-live") === "0",
        cmp,
        { timeout: 30_000 },
      );
    },
  );
});
