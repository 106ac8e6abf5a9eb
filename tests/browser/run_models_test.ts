/// <reference lib="dom" />
// Run details, logged models and registry editing in a real browser (Debian's Chromium through
// playwright-core) against a real tracker process, with data logged by the MLflow Python client: renaming
// a run, a dataset's schema, an MLflow 3 logged model's pages, registering it from the UI, aliases,
// descriptions and tags, each checked through the REST API afterwards.

import type { Page } from "./support/browser.ts";
import { assert, assertEquals } from "../unit/routes_harness.ts";
import { runMlflowPython } from "./support/python.ts";
import { hydrated, shot } from "./support/page.ts";
import { uiTest } from "./support/ui-test.ts";

const EVIL = `<img src=x onerror="window.__xss=1">`;

async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

async function pythonLogsModel(url: string, experiment: string): Promise<[string, string]> {
  const [run, model] = (await runMlflowPython(url, ["log_dataset_model.py", experiment])).slice(-2);
  return [run, model];
}

uiTest(
  "run details, logged models and registry editing in Chromium",
  { expectedConsole: /status of 40\d/ },
  async ({ url, rest, page }, t) => {
    const get = <T>(path: string) => rest.call<T>(path, undefined, "GET");

    const [runId, modelId] = await pythonLogsModel(url, "py-models");
    const runPage = `${url}/runs/${runId}`;

    await t.step("rename a run: empty names refused, the new name and mlflow.runName stored", async () => {
      await open(page, runPage);
      assertEquals(await page.textContent(".run-name h1"), "py-model-run");
      await page.click('button[aria-label="Rename run"]');
      await page.fill('input[aria-label="Run name"]', "   ");
      await page.click('.run-name button[type="submit"]');
      await page.waitForSelector('.run-name [role="alert"]:has-text("cannot be empty")');
      const name = `renamed ${EVIL}`;
      await page.fill('input[aria-label="Run name"]', name);
      await page.click('.run-name button[type="submit"]');
      await page.waitForSelector(".run-name h1");
      assertEquals(await page.textContent(".run-name h1"), name);
      assertEquals(await page.textContent(".breadcrumbs [data-run-name]"), name);
      const got = await get<
        { run: { info: { run_name: string }; data: { tags: { key: string; value: string }[] } } }
      >(
        `runs/get?run_id=${runId}`,
      );
      assertEquals(got.run.info.run_name, name);
      assertEquals(got.run.data.tags.find((x) => x.key === "mlflow.runName")?.value, name);
      await open(page, runPage);
      assertEquals(await page.textContent(".run-name h1"), name);
      assertEquals(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    });

    await t.step("a dataset logged by the Python client shows its source, profile and schema", async () => {
      const card = '.dataset-card[data-dataset="iris-mini"]';
      await page.waitForSelector(card);
      assertEquals(await page.textContent(`${card} .dataset-context`), "training");
      const source = await page.textContent(`${card} .dataset-source`) ?? "";
      assert(source.includes("(code)") && source.includes("log_dataset_model.py"), source);
      const profile = await page.textContent(`${card} .dataset-profile`);
      assert(
        profile?.includes("num_rows") && profile.includes("4") && profile.includes("12"),
        profile ?? "",
      );
      assert(!(await page.isVisible(`${card} .schema-table`)), "schema starts folded");
      await page.click(`${card} .dataset-schema summary`);
      await page.waitForSelector(`${card} .schema-table`);
      const rows = await page.$$eval(
        `${card} .schema-table tbody tr`,
        (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "").join(" ")),
      );
      assertEquals(rows, ["sepal_length double yes", "petal_width double yes", "label long yes"]);
      await shot(page, "run-datasets-models", true);
    });

    await t.step("the logged model is listed for its experiment and has its own page", async () => {
      const exp = (await get<{ experiment: { experiment_id: string } }>(
        "experiments/get-by-name?experiment_name=py-models",
      )).experiment.experiment_id;
      await open(page, `${url}/?e=${exp}`);
      await page.click('.exp-header .facts a:has-text("Logged models")');
      await page.waitForSelector(`tr[data-model-id="${modelId}"]`);
      const row = `tr[data-model-id="${modelId}"]`;
      await page.fill('input[aria-label="Filter logged models"]', "metrics.accuracy >");
      await page.press('input[aria-label="Filter logged models"]', "Enter");
      await page.waitForSelector('.logged-models-page [role="alert"]');
      assert(!(await page.$(row)), "a refused filter lists nothing");
      await page.fill(
        'input[aria-label="Filter logged models"]',
        "metrics.accuracy > 0.9 AND params.C = '1.0'",
      );
      await page.press('input[aria-label="Filter logged models"]', "Enter");
      await page.waitForSelector(row);
      const text = await page.textContent(row) ?? "";
      for (const want of ["clf", "ready", "renamed", "accuracy=0.95", "C=1.0"]) {
        assert(text.includes(want), `${want} in ${text}`);
      }
      await page.click(`${row} a:has-text("clf")`);
      await page.waitForURL(`**/logged-models/${modelId}`);
      await page.waitForSelector("html[data-hydrated]");
      assertEquals(await page.textContent(".logged-model-page h1"), "clf");
      assert((await page.textContent(".run-facts"))?.includes(modelId));
      assertEquals(await page.textContent('.model-metrics tr[data-metric="accuracy"] td'), "0.95");
      // The artifact browser reads the model's own artifacts; MLmodel shows its signature.
      await page.click('.artifact-browser button[data-path="MLmodel"]');
      await page.waitForSelector(".signature-table");
      const sig = await page.textContent(".signature") ?? "";
      assert(sig.includes("sepal_length") && sig.includes("petal_width"), sig);
      const download = await page.getAttribute(".preview-head a", "href");
      const res = await fetch(new URL(download!, url));
      assertEquals(res.status, 200);
      assert((await res.text()).includes("flavors"));
      // Tags of the logged model are editable too.
      await page.fill('.tags input[aria-label="New tag key"]', "stage");
      await page.fill('.tags input[aria-label="New tag value"]', "candidate");
      await page.click('.tags button:has-text("Add tag")');
      await page.waitForSelector('.tags tr[data-tag="stage"]');
      const lm = await get<{ model: { info: { tags?: { key: string; value: string }[] } } }>(
        `logged-models/${modelId}`,
      );
      assertEquals(lm.model.info.tags?.find((x) => x.key === "stage")?.value, "candidate");
      await shot(page, "logged-model", true);
    });

    await t.step(
      "register the logged model from the run page; a taken name is refused inline",
      async () => {
        await open(page, runPage);
        const row = `.run-logged-models tr[data-model-id="${modelId}"]`;
        await page.click(`${row} button:has-text("Register model")`);
        await page.waitForSelector(`${row} select[aria-label="Registered model"]`);
        await page.selectOption(`${row} select[aria-label="Registered model"]`, "");
        await page.fill(`${row} input[aria-label="New model name"]`, "iris-clf");
        await page.click(`${row} button:has-text("Register")`);
        await page.waitForSelector(`${row} a.chip:has-text("iris-clf v1")`);
        // The run's "Registered model versions" list reloads without a page load.
        await page.waitForSelector('.run-model-versions tr[data-version="1"] >> text=iris-clf');
        // A second "new" model with the same name: the server's RESOURCE_ALREADY_EXISTS, shown inline.
        await page.click(`${row} button:has-text("Register model")`);
        await page.waitForSelector(`${row} select option:text-is("iris-clf")`, { state: "attached" });
        await page.selectOption(`${row} select[aria-label="Registered model"]`, "");
        await page.fill(`${row} input[aria-label="New model name"]`, "iris-clf");
        await page.click(`${row} button:has-text("Register")`);
        await page.waitForSelector(`${row} [role="alert"]:has-text("already exists")`);
        // Picking the existing name makes version 2.
        await page.selectOption(`${row} select[aria-label="Registered model"]`, "iris-clf");
        await page.click(`${row} button:has-text("Register")`);
        await page.waitForSelector(`${row} a.chip:has-text("iris-clf v2")`);
        const v1 = await get<{ model_version: { source: string; run_id: string; model_id: string } }>(
          "model-versions/get?name=iris-clf&version=1",
        );
        assertEquals(v1.model_version.source, `models:/${modelId}`);
        assertEquals(v1.model_version.run_id, runId);
        assertEquals(v1.model_version.model_id, modelId);
        const lm = await get<{ model: { info: { registrations?: { name: string; version: string }[] } } }>(
          `logged-models/${modelId}`,
        );
        assertEquals(lm.model.info.registrations, [{ name: "iris-clf", version: "1" }, {
          name: "iris-clf",
          version: "2",
        }]);
      },
    );

    await t.step("registered model page: alias, description and tags edited and stored", async () => {
      await open(page, `${url}/models/iris-clf`);
      await page.waitForSelector(".model-view .add-alias");
      // A reserved alias is the server's error, inline.
      await page.fill('input[aria-label="Alias"]', "latest");
      await page.click('.add-alias button:has-text("Set alias")');
      await page.waitForSelector('.aliases [role="alert"]');
      await page.fill('input[aria-label="Alias"]', "champion");
      await page.selectOption('select[aria-label="Alias version"]', "1");
      await page.click('.add-alias button:has-text("Set alias")');
      await page.waitForSelector('.alias-list li[data-alias="champion"]');
      assert((await page.textContent('.alias-list li[data-alias="champion"]'))?.includes("v1"));
      await page.fill('input[aria-label="Alias"]', "old");
      await page.selectOption('select[aria-label="Alias version"]', "2");
      await page.click('.add-alias button:has-text("Set alias")');
      await page.waitForSelector('.alias-list li[data-alias="old"]');
      await page.click('button[aria-label="Delete alias old"]');
      await page.waitForSelector('.alias-list li[data-alias="old"]', { state: "detached" });

      await page.click('.model-view .description button:has-text("Add description")');
      await page.fill('textarea[aria-label="Description (markdown)"]', `Iris **classifier** ${EVIL}`);
      await page.click('.description button:has-text("Save")');
      await page.waitForSelector(".model-view .description-body strong");
      assert(!(await page.$(".model-view .description-body img")), "user HTML is not rendered");

      await page.fill('.model-view input[aria-label="New tag key"]', "owner");
      await page.fill('.model-view input[aria-label="New tag value"]', "ml team");
      await page.click('.model-view button:has-text("Add tag")');
      await page.waitForSelector('.model-view tr[data-tag="owner"]');
      await page.click('button[aria-label="Edit tag owner"]');
      await page.fill('input[aria-label="Value of owner"]', "vision");
      await page.click('.model-view tr[data-tag="owner"] button:has-text("Save")');
      await page.waitForSelector('.model-view tr[data-tag="owner"] .tag-value:has-text("vision")');
      await shot(page, "registered-model-edit", true);

      const m = await get<{
        registered_model: {
          description?: string;
          tags?: { key: string; value: string }[];
          aliases?: { alias: string; version: string }[];
        };
      }>("registered-models/get?name=iris-clf");
      assertEquals(m.registered_model.description, `Iris **classifier** ${EVIL}`);
      assertEquals(m.registered_model.tags, [{ key: "owner", value: "vision" }]);
      assertEquals(m.registered_model.aliases, [{ alias: "champion", version: "1" }]);
    });

    await t.step(
      "version page: description and tags edited and stored; links to run and model",
      async () => {
        await page.click('.versions-table tr[data-version="1"] a:has-text("v1")');
        await page.waitForURL("**/models/iris-clf/versions/1");
        await page.waitForSelector("html[data-hydrated]");
        await page.waitForSelector(".model-version-view .facts");
        assert(await page.isVisible(`.model-version-view a[href$="/logged-models/${modelId}"]`));
        assert(await page.isVisible(`.model-version-view a[href$="/runs/${runId}"]`));
        assert(await page.isVisible('.model-version-view .alias-list li[data-alias="champion"]'));
        await page.click('.model-version-view .description button:has-text("Add description")');
        await page.fill('textarea[aria-label="Description (markdown)"]', "First *version*");
        await page.click('.description button:has-text("Save")');
        await page.waitForSelector(".model-version-view .description-body em");
        await page.fill('.model-version-view input[aria-label="New tag key"]', "validated");
        await page.fill('.model-version-view input[aria-label="New tag value"]', "yes");
        await page.click('.model-version-view button:has-text("Add tag")');
        await page.waitForSelector('.model-version-view tr[data-tag="validated"]');
        await page.click('button[aria-label="Delete tag validated"]');
        await page.waitForSelector('.model-version-view tr[data-tag="validated"]', { state: "detached" });
        await page.fill('.model-version-view input[aria-label="New tag key"]', "checked");
        await page.fill('.model-version-view input[aria-label="New tag value"]', "by hand");
        await page.click('.model-version-view button:has-text("Add tag")');
        await page.waitForSelector('.model-version-view tr[data-tag="checked"]');
        const v = await get<
          { model_version: { description?: string; tags?: { key: string; value: string }[] } }
        >(
          "model-versions/get?name=iris-clf&version=1",
        );
        assertEquals(v.model_version.description, "First *version*");
        assertEquals(v.model_version.tags, [{ key: "checked", value: "by hand" }]);
        // The logged model's page lists the versions registered from it.
        await open(page, `${url}/logged-models/${modelId}`);
        await page.waitForSelector('.model-registrations a.chip:has-text("iris-clf v1")');
      },
    );

    await t.step("an MLflow 2 model (log-model history, no model id) registers from runs:/", async () => {
      const exp = await rest.createExperiment("mlflow2-models");
      const legacy = await rest.createRun(exp, {
        name: "legacy",
        tags: {
          "mlflow.log-model.history": JSON.stringify([{
            artifact_path: "model",
            flavors: { sklearn: {} },
          }]),
        },
      });
      await open(page, `${url}/runs/${legacy}`);
      const row = ".run-logged-models tr";
      await page.click(`${row} button:has-text("Register model")`);
      await page.waitForSelector(`${row} select option:text-is("iris-clf")`, { state: "attached" });
      await page.selectOption(`${row} select[aria-label="Registered model"]`, "");
      await page.fill(`${row} input[aria-label="New model name"]`, "legacy-clf");
      await page.click(`${row} button:has-text("Register")`);
      await page.waitForSelector(`${row} a.chip:has-text("legacy-clf v1")`);
      const v = await get<{ model_version: { source: string; run_id: string; model_id?: string } }>(
        "model-versions/get?name=legacy-clf&version=1",
      );
      assertEquals(v.model_version.source, `runs:/${legacy}/model`);
      assertEquals(v.model_version.run_id, legacy);
      assertEquals(v.model_version.model_id, undefined);
    });

    await t.step("rename a registered model, delete a version, delete the model", async () => {
      await open(page, `${url}/models/legacy-clf`);
      await page.click('.model-actions button:has-text("Rename")');
      await page.fill('input[aria-label="Rename model to"]', "legacy-renamed");
      await page.click('.model-actions button:has-text("Save")');
      await page.waitForURL("**/models/legacy-renamed");
      await page.waitForSelector('.versions-table tr[data-version="1"]');
      await page.click('.versions-table tr[data-version="1"] a:has-text("v1")');
      await page.waitForURL("**/models/legacy-renamed/versions/1");
      page.once("dialog", (d) => d.accept());
      await page.click('.model-actions button:has-text("Delete version")');
      await page.waitForURL("**/models/legacy-renamed");
      await page.waitForSelector(".model-view >> text=No versions.");
      page.once("dialog", (d) => d.accept());
      await page.click('.model-actions button:has-text("Delete model")');
      await page.waitForURL((u) => u.pathname.endsWith("/models"));
      const res = await fetch(`${url}/api/2.0/mlflow/registered-models/get?name=legacy-renamed`);
      assertEquals(res.status, 404);
      assertEquals((await res.json()).error_code, "RESOURCE_DOES_NOT_EXIST");
      const old = await fetch(`${url}/api/2.0/mlflow/registered-models/get?name=legacy-clf`);
      assertEquals(old.status, 404);
      await old.body?.cancel();
    });
  },
);
