/// <reference lib="dom" />
// The web UI in a real browser (Debian's Chromium through playwright-core) against a real tracker
// process seeded over REST and by the MLflow Python client. Screenshots of the main pages go to
// test-results/screenshots/. Needs /usr/bin/chromium (scripts/setup-browser.sh) and the Python venv
// (scripts/setup-python.sh).

import { launchBrowser, type Page } from "./support/browser.ts";
import { assert, assertEquals } from "../unit/routes_harness.ts";
import { runMlflowPython } from "./support/python.ts";
import { countColor, hydrated, shot } from "./support/page.ts";
import { uiTest } from "./support/ui-test.ts";

/** Names in the grid's first column, top to bottom. */
function gridNames(page: Page): Promise<string[]> {
  return page.$$eval(".grid-row[data-run-id] .run-link", (els) => els.map((e) => e.textContent ?? ""));
}

async function pythonLogsRuns(url: string, experiment: string): Promise<[string, string]> {
  const [parent, child] = (await runMlflowPython(url, ["log_runs.py", experiment])).slice(-2);
  return [parent, child];
}

uiTest(
  "web UI in Chromium",
  { expectedConsole: /status of 400|frame is sandboxed/ },
  async ({ url, rest, page }, t) => {
    await t.step("create an experiment in the UI", async () => {
      await page.goto(`${url}/`);
      await hydrated(page);
      await page.click("text=+ New");
      await page.fill('input[aria-label="New experiment name"]', "ui-made <b>exp</b>");
      await page.click('form.inline-form button:has-text("Create")');
      // The page already shows ?e=0 (the default experiment); wait for the new one.
      await page.waitForURL((u) => /^[1-9]\d*$/.test(u.searchParams.get("e") ?? ""));
      await hydrated(page);
      assertEquals(await page.textContent(".exp-header h1"), "ui-made <b>exp</b>");
      const id = new URL(page.url()).searchParams.get("e")!;
      const got = await rest.call<{ experiment: { name: string } }>(
        `experiments/get?experiment_id=${id}`,
        undefined,
        "GET",
      );
      assertEquals(got.experiment.name, "ui-made <b>exp</b>");
      assert(await page.isVisible(`.exp-list li[data-exp-id="${id}"].active`));
    });

    const [pyParent, pyChild] = await pythonLogsRuns(url, "python-exp");
    const pyExp = (await rest.call<{ experiment: { experiment_id: string } }>(
      "experiments/get-by-name?experiment_name=python-exp",
      undefined,
      "GET",
    )).experiment.experiment_id;

    await t.step("runs logged by the Python client appear, nested runs fold under the parent", async () => {
      await page.goto(`${url}/?e=${pyExp}`);
      await hydrated(page);
      assertEquals(await gridNames(page), ["py-parent"]);
      const row = `.grid-row[data-run-id="${pyParent}"]`;
      await page.click(`${row} .expander`);
      await page.waitForSelector(`.grid-row[data-run-id="${pyChild}"]`);
      assertEquals(await gridNames(page), ["py-parent", "py-child"]);
      // Default columns include the logged metric and params.
      for (const col of ["m:loss", "p:lr", "p:optimizer"]) {
        assert(await page.isVisible(`.cell.head[data-col="${col}"]`), col);
      }
      await shot(page, "experiments");
    });

    // A wider experiment for sorting and filtering.
    const exp = await rest.createExperiment("sortable");
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      const start = Date.now() - (30 - i) * 3_600_000;
      const id = await rest.createRun(exp, {
        name: `run-${String(i).padStart(2, "0")}`,
        startTime: start,
        userId: ["ada", "grace", "linus"][i % 3],
        tags: { "mlflow.source.name": "train.py", "mlflow.source.type": "LOCAL" },
      });
      names.push(`run-${String(i).padStart(2, "0")}`);
      await rest.logBatch(id, {
        metrics: [
          { key: "acc", value: ((i * 7) % 30) / 30, step: 0, timestamp: start + 1000 },
          { key: "loss", value: 1 - ((i * 7) % 30) / 31, step: 0, timestamp: start + 1000 },
        ],
        params: { depth: String(i % 5), optimizer: i % 2 ? "adam" : "sgd" },
      });
      // The last few stay RUNNING, the rest finish at different durations.
      if (i < 27) {
        await rest.finish(id, start + (5 + ((i * 11) % 40)) * 60_000, i % 9 === 4 ? "FAILED" : "FINISHED");
      }
    }
    const accOf = (name: string) => ((Number(name.slice(4)) * 7) % 30) / 30;

    await t.step("sort by a metric column, both directions", async () => {
      await page.goto(`${url}/?e=${exp}`);
      await hydrated(page);
      await page.click('.cell.head[data-col="m:acc"] button');
      await page.waitForFunction(() =>
        document.querySelector('.cell.head[data-col="m:acc"]')?.getAttribute("aria-sort") === "descending"
      );
      await page.waitForFunction(
        (first) => document.querySelector(".grid-row .run-link")?.textContent === first,
        [...names].sort((a, b) => accOf(b) - accOf(a))[0],
      );
      const desc = await gridNames(page);
      assertEquals(desc.slice(0, 5), [...names].sort((a, b) => accOf(b) - accOf(a)).slice(0, 5));
      await page.click('.cell.head[data-col="m:acc"] button');
      const ascFirst = [...names].sort((a, b) => accOf(a) - accOf(b))[0];
      await page.waitForFunction(
        (first) => document.querySelector(".grid-row .run-link")?.textContent === first,
        ascFirst,
      );
      assert(page.url().includes("sort=m%3Aacc") && page.url().includes("asc=1"), page.url());
      await shot(page, "runs-table");
    });

    await t.step("filter with a valid query, then an invalid one shows the error inline", async () => {
      await page.fill('input[aria-label="Filter runs"]', "metrics.acc >= 0.9 and params.depth != '0'");
      await page.click('form.filter-form button[type="submit"]');
      const want = names.filter((n) => accOf(n) >= 0.9 && Number(n.slice(4)) % 5 !== 0);
      await page.waitForFunction(
        (n) => document.querySelector(".count")?.textContent === `${n} runs`,
        want.length,
      );
      assertEquals((await gridNames(page)).sort(), want.sort());
      await page.fill('input[aria-label="Filter runs"]', "metrics.acc >> 1");
      await page.click('form.filter-form button[type="submit"]');
      await page.waitForSelector(".filter-error");
      const msg = await page.textContent(".filter-error");
      assert(msg && msg.length > 10, `error text: ${msg}`);
      assertEquals(await page.getAttribute('input[aria-label="Filter runs"]', "aria-invalid"), "true");
      await shot(page, "filter-error");
      await page.click('form.filter-form button:has-text("Clear")');
      await page.waitForFunction(() => document.querySelector(".count")?.textContent === "30 runs");
      assertEquals(await page.$(".filter-error"), null);
    });

    await t.step("column chooser adds a column and the URL remembers it", async () => {
      await page.click('button:has-text("Columns")');
      await page.waitForSelector('.column-chooser input[data-col="a:run_id"]');
      await page.check('.column-chooser input[data-col="a:run_id"]');
      await page.waitForSelector('.cell.head[data-col="a:run_id"]');
      assert(decodeURIComponent(page.url()).includes("a:run_id"), page.url());
      await page.click('.column-chooser button[aria-label="Close"]');
      await page.reload();
      await hydrated(page);
      assert(await page.isVisible('.cell.head[data-col="a:run_id"]'));
    });

    await t.step("compare two runs", async () => {
      const rows = await page.$$(".grid-row[data-run-id] input[type=checkbox]");
      await rows[0].check();
      await rows[1].check();
      await page.click("a.button:has-text('Compare (2)')");
      await page.waitForURL(/\/compare\?runs=/);
      await hydrated(page);
      assertEquals(await page.textContent(".compare-page h1"), "Comparing 2 runs");
      assertEquals(await page.$$eval("table.compare thead th a", (els) => els.length), 2);
      await page.waitForSelector('.chart-panel[data-metric="acc"][data-status="ready"]');
      await page.check('input[aria-label="Show differences only"]');
      assert(await page.isVisible('table.compare tr[data-key="acc"]'), "acc differs between the two runs");
      await shot(page, "compare");
    });

    await t.step("open a run from the table", async () => {
      await page.goto(`${url}/?e=${pyExp}`);
      await hydrated(page);
      await page.click(`.grid-row[data-run-id="${pyParent}"] .run-link`);
      await page.waitForURL(new RegExp(`/runs/${pyParent}$`));
      await hydrated(page);
      assertEquals(await page.textContent(".run-header h1"), "py-parent");
      assert((await page.textContent(".run-facts"))?.includes(pyParent));
      assert(await page.isVisible("section.params table.kv >> text=optimizer"));
    });

    await t.step("edit the description (markdown, rendered sanitised)", async () => {
      await page.click('section.description button:has-text("Add description")');
      await page.fill(
        'textarea[aria-label="Description (markdown)"]',
        "**Best** run so far <img src=x onerror=alert(1)>",
      );
      await page.click('section.description button:has-text("Save")');
      await page.waitForSelector(".description-body strong");
      assertEquals(await page.textContent(".description-body strong"), "Best");
      assertEquals(await page.$(".description-body img"), null);
      await page.reload();
      await hydrated(page);
      assertEquals(await page.textContent(".description-body strong"), "Best");
    });

    await t.step("add and edit a tag", async () => {
      await page.fill('input[aria-label="New tag key"]', "stage");
      await page.fill('input[aria-label="New tag value"]', "draft");
      await page.click('button:has-text("Add tag")');
      await page.waitForSelector('tr[data-tag="stage"]');
      await page.click('button[aria-label="Edit tag stage"]');
      await page.fill('input[aria-label="Value of stage"]', "final");
      await page.click('tr[data-tag="stage"] button:has-text("Save")');
      await page.waitForFunction(() =>
        document.querySelector('tr[data-tag="stage"] .tag-value')?.textContent === "final"
      );
      const run = await rest.call<{ run: { data: { tags: { key: string; value: string }[] } } }>(
        `runs/get?run_id=${pyParent}`,
        undefined,
        "GET",
      );
      assertEquals(run.run.data.tags.find((x) => x.key === "stage")?.value, "final");
      await shot(page, "run-overview");
    });

    await t.step("preview an image artifact; HTML only in a sandboxed frame", async () => {
      await page.goto(`${url}/runs/${pyParent}?tab=artifacts`);
      await hydrated(page);
      await page.click('button.tree-item:has-text("plots")');
      await page.click('button[data-path="plots/gradient.png"]');
      await page.waitForSelector("img.preview-image");
      await page.waitForFunction(() =>
        (document.querySelector("img.preview-image") as HTMLImageElement)?.naturalWidth === 64
      );
      await shot(page, "artifacts");
      await page.click('button[data-path="table.csv"]');
      await page.waitForSelector("table.preview-table >> text=0.75");
      await page.click('button[data-path="report.html"]');
      const frame = await page.waitForSelector("iframe.preview-html");
      assertEquals(await frame.getAttribute("sandbox"), "");
      const f = await frame.contentFrame();
      await f!.waitForSelector("#h");
      // The page's own script did not run: scripts are off in the sandbox.
      assertEquals(await f!.textContent("#h"), "static");
    });

    await t.step("a chart draws its line on the canvas; zoom fetches full resolution", async () => {
      const long = await rest.createRun(exp, { name: "long" });
      for (let s = 0; s < 20_000; s += 1000) {
        await rest.logBatch(long, {
          metrics: Array.from(
            { length: 1000 },
            (_, i) => ({
              key: "loss",
              value: Math.exp(-(s + i) / 4000),
              step: s + i,
              timestamp: 1 + s + i,
            }),
          ),
        });
      }
      await page.goto(`${url}/runs/${long}?tab=charts`);
      await hydrated(page);
      const panel = '.chart-panel[data-metric="loss"]';
      await page.waitForSelector(`${panel}[data-status="ready"] canvas`);
      const color = await page.$eval(".run-header .color-dot", (e) => getComputedStyle(e).backgroundColor);
      const hex = "#" +
        (color.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, "0")).join(
          "",
        );
      const drawn = await countColor(page, `${panel} canvas`, hex);
      assert(drawn > 200, `only ${drawn} pixels in the run's colour ${hex}`);
      const before = await page.textContent(`${panel} figcaption .muted`);
      assert(before?.includes("of 20,000"), `reduced view expected: ${before}`);
      await shot(page, "charts");
      const over = await page.$(`${panel} .u-over`);
      const box = (await over!.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.40, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.42, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      await page.waitForFunction(
        (sel) => !document.querySelector(sel)?.textContent?.includes(" of "),
        `${panel} figcaption .muted`,
      );
      const after = await page.textContent(`${panel} figcaption .muted`);
      assert(/^\d[\d,]* points/.test(after ?? ""), `full resolution expected after zoom: ${after}`);
    });

    await t.step("dark mode follows the OS and the toggle overrides it", async () => {
      const dark = await launchBrowser({ colorScheme: "dark" });
      try {
        const p = await dark.context.newPage();
        await p.goto(`${url}/?e=${pyExp}`);
        await hydrated(p);
        const bg = () => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assertEquals(await bg(), "rgb(20, 23, 28)");
        await shot(p, "experiments-dark");
        await p.goto(`${url}/runs/${pyParent}?tab=charts`);
        await hydrated(p);
        await p.waitForSelector('.chart-panel[data-status="ready"] canvas');
        await shot(p, "charts-dark");
        await p.click(".theme-toggle"); // auto → light
        assertEquals(await bg(), "rgb(255, 255, 255)");
        await p.reload();
        await hydrated(p);
        assertEquals(await bg(), "rgb(255, 255, 255)", "choice remembered across reloads");
      } finally {
        await dark.close();
      }
    });

    await t.step(
      "registry: models list, a model's versions link to their run, the run lists them",
      async () => {
        await rest.call("registered-models/create", { name: "classifier" });
        await rest.call("registered-models/set-tag", { name: "classifier", key: "task", value: "vision" });
        await rest.call("model-versions/create", {
          name: "classifier",
          source: `runs:/${pyParent}/model`,
          run_id: pyParent,
        });
        await rest.call("registered-models/alias", { name: "classifier", alias: "champion", version: "1" });
        await page.goto(`${url}/models`);
        await hydrated(page);
        await page.waitForSelector('tr[data-model="classifier"]');
        assert((await page.textContent('tr[data-model="classifier"]'))?.includes("@champion"));
        await page.click('tr[data-model="classifier"] a');
        await page.waitForURL(/\/models\/classifier$/);
        await hydrated(page);
        await page.waitForSelector('.versions-table tr[data-version="1"]');
        await shot(page, "model");
        await page.click(`.versions-table tr[data-version="1"] a[href$="/runs/${pyParent}"]`);
        await page.waitForURL(new RegExp(`/runs/${pyParent}$`));
        await hydrated(page);
        await page.waitForSelector(".run-model-versions >> text=classifier");
      },
    );

    await t.step("rename, delete and restore an experiment from the sidebar", async () => {
      // Each action reloads or navigates. The old document is hydrated too, so waiting for
      // html[data-hydrated] (or for a server-rendered element) could pass before the new document's
      // handlers exist, and the next click then hit a dead button; and waiting for a URL without ?e=
      // after the delete lost the race against the runs view writing ?e= on hydration (the flake).
      // So: wait for a new, hydrated document.
      const reloadsAfter = async (action: () => Promise<unknown>) => {
        await page.evaluate(() => ((globalThis as unknown as { __old: boolean }).__old = true));
        await action();
        await page.waitForFunction(() =>
          !(globalThis as unknown as { __old?: boolean }).__old &&
          document.documentElement.dataset.hydrated === "1"
        );
      };
      const id = await rest.createExperiment("to-rename");
      await page.goto(`${url}/?e=${id}`);
      await hydrated(page);
      await page.click('button[aria-label="Rename to-rename"]');
      await page.fill('input[aria-label="New name"]', "renamed-exp");
      await reloadsAfter(() => page.click('.exp-list form button:has-text("Save")'));
      await page.waitForSelector('.exp-list a:has-text("renamed-exp")');
      page.once("dialog", (d) => d.accept());
      await reloadsAfter(() => page.click('button[aria-label="Delete renamed-exp"]'));
      // Deleting lands on the home page, which shows the first active experiment (the runs view then
      // writes its ?e= into the URL, so the URL is no witness) without the deleted one.
      assertEquals(await page.$(`.exp-list li[data-exp-id="${id}"]`), null);
      await reloadsAfter(() => page.click("text=Show deleted experiments"));
      assert(await page.isVisible(`.exp-list li[data-exp-id="${id}"].deleted`));
      await reloadsAfter(() => page.click('button[aria-label="Restore renamed-exp"]'));
      await page.waitForSelector(`.exp-list li[data-exp-id="${id}"]:not(.deleted)`);
      const got = await rest.call<{ experiment: { lifecycle_stage: string; name: string } }>(
        `experiments/get?experiment_id=${id}`,
        undefined,
        "GET",
      );
      assertEquals([got.experiment.name, got.experiment.lifecycle_stage], ["renamed-exp", "active"]);
    });

    await t.step("group runs by a param: one mean line and band per group", async () => {
      const search = await rest.call<{ runs: { info: { run_id: string } }[] }>("runs/search", {
        experiment_ids: [exp],
        max_results: 6,
      });
      const ids = search.runs.map((r) => r.info.run_id);
      await page.goto(`${url}/compare?runs=${ids.join(",")}&charts=loss&group=params.optimizer`);
      await hydrated(page);
      await page.waitForSelector('.chart-panel[data-metric="loss"][data-status="ready"] .u-legend');
      const legend = await page.textContent('.chart-panel[data-metric="loss"] .u-legend') ?? "";
      assert(/adam \(\d\)/.test(legend) && /sgd \(\d\)/.test(legend), legend);
      assertEquals(await page.inputValue('select[aria-label="Group by"]'), "params.optimizer");
    });

    await t.step("MLflow's printed run links (#/experiments/…/runs/…) land on the run page", async () => {
      await page.goto(`${url}/#/experiments/${pyExp}/runs/${pyChild}`);
      await page.waitForURL(new RegExp(`/runs/${pyChild}$`));
      await hydrated(page);
      assertEquals(await page.textContent(".run-header h1"), "py-child");
    });
  },
);
