/// <reference lib="dom" />
// The runs table in a real browser (Debian's Chromium through playwright-core) against a real tracker:
// column resize and reorder kept in the URL, selection and expanded parents restored from the URL, new
// runs (REST and the MLflow Python client) appearing without a reload, keyboard navigation.

import type { Page } from "./support/browser.ts";
import { assert, assertEquals } from "../unit/routes_harness.ts";
import { runMlflowPython } from "./support/python.ts";
import { uiTest } from "./support/ui-test.ts";

/** Generous: the machine is shared, and live updates arrive with the page's poll (≤ 10 s apart). */
const WAIT_MS = 60_000;

/** Runs `action` (which reloads or navigates) and waits until the new document is hydrated. */
async function afterNavigation(page: Page, action: () => Promise<unknown>) {
  await page.evaluate(() => ((globalThis as unknown as { __stale: boolean }).__stale = true));
  await action();
  await page.waitForFunction(() =>
    !(globalThis as unknown as { __stale?: boolean }).__stale &&
    document.documentElement.dataset.hydrated === "1"
  );
}

function headerOrder(page: Page): Promise<string[]> {
  return page.$$eval(".grid-header [data-col]", (els) => els.map((e) => e.getAttribute("data-col") ?? ""));
}

function widthOf(page: Page, col: string): Promise<number> {
  return page.$eval(`.cell.head[data-col="${col}"]`, (e) => (e as HTMLElement).offsetWidth);
}

/** Drags from the centre of one element to the centre of another (or by dx), in small pointer steps. */
async function drag(page: Page, from: string, to: string | { dx: number }) {
  const a = (await (await page.$(from))!.boundingBox())!;
  const x0 = a.x + a.width / 2, y0 = a.y + a.height / 2;
  let x1: number;
  if (typeof to === "string") {
    const b = (await (await page.$(to))!.boundingBox())!;
    x1 = b.x + b.width / 2;
  } else x1 = x0 + to.dx;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y0, { steps: 8 });
  await page.mouse.up();
}

async function pythonLogsRun(url: string, experiment: string, runName: string) {
  const code = [
    "import sys, mlflow",
    "mlflow.set_experiment(sys.argv[1])",
    "with mlflow.start_run(run_name=sys.argv[2]):",
    "    mlflow.log_param('lr', '0.5')",
    "    mlflow.log_metric('acc', 0.99, step=1)",
  ].join("\n");
  await runMlflowPython(url, ["-c", code, experiment, runName]);
}

uiTest("runs table in Chromium", {}, async ({ url, rest, page }, t) => {
  page.setDefaultTimeout(WAIT_MS);

  // 60 finished runs (newest first in the table) and one parent with two children.
  const exp = await rest.createExperiment("table");
  const ids: string[] = [];
  const t0 = Date.now() - 100 * 60_000;
  for (let i = 0; i < 60; i++) {
    const id = await rest.createRun(exp, {
      name: `run-${String(i).padStart(2, "0")}`,
      startTime: t0 + i,
    });
    await rest.logBatch(id, {
      metrics: [{ key: "acc", value: i / 60, step: 0, timestamp: t0 }],
      params: { lr: String(i % 3) },
    });
    await rest.finish(id, t0 + i + 1000);
    ids.push(id);
  }
  const parent = await rest.createRun(exp, { name: "parent", startTime: t0 - 10 });
  const kids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const k = await rest.createRun(exp, {
      name: `kid-${i}`,
      startTime: t0 - 5 + i,
      tags: { "mlflow.parentRunId": parent },
    });
    await rest.finish(k, t0);
    kids.push(k);
  }
  await rest.finish(parent, t0);

  await t.step("resize and reorder columns; both survive a reload", async () => {
    await page.goto(`${url}/?e=${exp}`);
    await page.waitForSelector("html[data-hydrated]");
    const w0 = await widthOf(page, "a:user");
    await drag(page, '.cell.head[data-col="a:user"] .col-resize', { dx: 90 });
    await page.waitForFunction(
      (w) => (document.querySelector('.cell.head[data-col="a:user"]') as HTMLElement).offsetWidth >= w,
      w0 + 80,
    );
    const before = await headerOrder(page);
    assert(before.indexOf("a:status") > before.indexOf("a:created"), before.join());
    // Drag "Status" onto "Created": it takes that place.
    await drag(page, '.cell.head[data-col="a:status"] .sort', '.cell.head[data-col="a:created"]');
    await page.waitForFunction(() => {
      const cols = [...document.querySelectorAll(".grid-header [data-col]")].map((e) =>
        e.getAttribute("data-col")
      );
      return cols.indexOf("a:status") === cols.indexOf("a:name") + 1;
    });
    const moved = await headerOrder(page);
    // The drag did not also sort on the column it started on.
    assertEquals(await page.getAttribute('.cell.head[data-col="a:status"]', "aria-sort"), "none");
    const query = new URL(page.url()).searchParams;
    assert(query.get("w")?.startsWith("a:user:"), page.url());
    assert(query.get("cols")?.startsWith("a:name,a:status,a:created"), page.url());
    await afterNavigation(page, () => page.reload());
    assertEquals(await headerOrder(page), moved);
    const w1 = await widthOf(page, "a:user");
    assert(w1 >= w0 + 80, `width after reload ${w1}, before ${w0}`);
    // The same cells follow their header: row 0's third cell is the status.
    const third = await page.$eval(".grid-main .grid-row .cell", (e) => e.textContent);
    assertEquals(third, "FINISHED");
  });

  await t.step(
    "keyboard: the column chooser moves a column, the resize handle takes arrow keys",
    async () => {
      await page.click('button:has-text("Columns")');
      const left = page.locator('button[aria-label="Move User left"]');
      await left.focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => {
        const cols = [...document.querySelectorAll(".grid-header [data-col]")].map((e) =>
          e.getAttribute("data-col")
        );
        return cols.indexOf("a:user") < cols.indexOf("a:duration");
      });
      // Focus stays on the moved column's button, so pressing again keeps moving it.
      assertEquals(
        await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
        "Move User left",
      );
      await page.click('.column-chooser button[aria-label="Close"]');
      // The resize handle takes arrow keys too.
      const w0 = await widthOf(page, "a:duration");
      await page.focus('.cell.head[data-col="a:duration"] .col-resize');
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(
        (w) => (document.querySelector('.cell.head[data-col="a:duration"]') as HTMLElement).offsetWidth === w,
        w0 + 16,
      );
    },
  );

  await t.step("selection and expanded parents come back from the URL", async () => {
    const sel = [ids[59], ids[58]];
    await afterNavigation(
      page,
      () => page.goto(`${url}/?e=${exp}&sel=${sel.join(",")}&open=${parent}`),
    );
    for (const id of sel) {
      assertEquals(await page.getAttribute(`.grid-row[data-run-id="${id}"]`, "aria-selected"), "true");
      assert(await page.isChecked(`.grid-row[data-run-id="${id}"] input[type=checkbox]`));
    }
    assert(await page.isVisible("a.button:has-text('Compare (2)')"));
    // Children are in the first (server-rendered) window already, under their parent at the end.
    await page.$eval(".grid", (e) => (e.scrollTop = e.scrollHeight));
    await page.waitForSelector(`.grid-row[data-run-id="${kids[0]}"]`);
    // Collapse the parent and unselect one run: the URL follows, a reload shows the same.
    await page.click(`.grid-row[data-run-id="${parent}"] .expander`);
    await page.waitForSelector(`.grid-row[data-run-id="${kids[0]}"]`, { state: "detached" });
    await page.$eval(".grid", (e) => (e.scrollTop = 0));
    await page.click(`.grid-row[data-run-id="${sel[1]}"] input[type=checkbox]`);
    await page.waitForFunction((id) => new URL(location.href).searchParams.get("sel") === id, sel[0]);
    assertEquals(new URL(page.url()).searchParams.get("open"), null);
    await afterNavigation(page, () => page.reload());
    assertEquals(await page.getAttribute(`.grid-row[data-run-id="${sel[1]}"]`, "aria-selected"), "false");
    assertEquals(await page.getAttribute(`.grid-row[data-run-id="${sel[0]}"]`, "aria-selected"), "true");
  });

  await t.step("new runs appear without a reload; scroll position and selection stay", async () => {
    await afterNavigation(page, () => page.goto(`${url}/?e=${exp}&sel=${ids[30]}`));
    const count = () => page.textContent(".count");
    assertEquals(await count(), "61 runs");
    // Scrolled into the list: the run at the top of the view must stay there when one is added above.
    await page.$eval(".grid", (e) => (e.scrollTop = 20 * 30));
    await page.waitForSelector('.grid-row[aria-rowindex="22"][data-run-id]');
    const topRun = () =>
      page.$eval(".grid", (g) => {
        const top = g.scrollTop;
        for (const r of g.querySelectorAll<HTMLElement>(".grid-pinned .grid-row[data-run-id]")) {
          if (Math.round(new DOMMatrix(getComputedStyle(r).transform).m42) === top) {
            return r.dataset.runId;
          }
        }
        return null;
      });
    const anchor = await topRun();
    assert(anchor, "a row at the top of the view");
    await page.evaluate(() => ((globalThis as unknown as { __same: boolean }).__same = true));
    await rest.createRun(exp, { name: "rest-live", startTime: Date.now() });
    await page.waitForFunction(() => document.querySelector(".count")?.textContent === "62 runs");
    await page.waitForFunction((id) => {
      const g = document.querySelector(".grid")!;
      return g.scrollTop === 21 * 30 &&
        [...g.querySelectorAll<HTMLElement>(".grid-pinned .grid-row[data-run-id]")].some((r) =>
          r.dataset.runId === id &&
          Math.round(new DOMMatrix(getComputedStyle(r).transform).m42) === g.scrollTop
        );
    }, anchor);
    // Back at the top, a run logged by the MLflow Python client shows up first.
    await page.$eval(".grid", (e) => (e.scrollTop = 0));
    await pythonLogsRun(url, "table", "py-live");
    await page.waitForFunction(() =>
      document.querySelector(".grid-pinned .grid-row .run-link")?.textContent === "py-live"
    );
    assertEquals(await count(), "63 runs");
    assert(
      await page.evaluate(() => (globalThis as unknown as { __same?: boolean }).__same),
      "no reload",
    );
    assert(await page.isVisible("a.button:has-text('Compare (1)')"));
    assertEquals(new URL(page.url()).searchParams.get("sel"), ids[30]);
  });

  await t.step("keyboard: j/k/arrows move, x selects, Escape clears, Enter opens the run", async () => {
    await afterNavigation(page, () => page.goto(`${url}/?e=${exp}`));
    const focused = () => page.getAttribute(".grid", "aria-activedescendant");
    await page.focus(".grid");
    await page.keyboard.press("j");
    await page.waitForFunction(() => document.querySelector(".grid")?.getAttribute("aria-activedescendant"));
    assertEquals(await focused(), "grid-row-0");
    await page.keyboard.press("j");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("k");
    await page.waitForFunction(() =>
      document.querySelector(".grid")?.getAttribute("aria-activedescendant") === "grid-row-1"
    );
    assert(await page.isVisible("#grid-row-1.focused"));
    await page.keyboard.press("x");
    await page.waitForSelector('#grid-row-1[aria-selected="true"]');
    assert(await page.isVisible("a.button:has-text('Compare (1)')"));
    await page.keyboard.press("Escape");
    await page.waitForSelector('#grid-row-1[aria-selected="false"]');
    // "/" jumps to the filter box; the grid takes the keyboard back when focused again.
    await page.keyboard.press("/");
    assertEquals(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      "Filter runs",
    );
    await page.focus(".grid");
    const runId = await page.getAttribute("#grid-row-1", "data-run-id");
    await afterNavigation(page, () => page.keyboard.press("Enter"));
    assert(page.url().endsWith(`/runs/${runId}`), page.url());
  });
});
