// One browser test against a fresh tracker process: a Chromium page whose script errors are collected and
// must be none at the end, and everything closed afterwards, whatever happens.

import { assertEquals } from "../../unit/routes_harness.ts";
import { launchBrowser, type Page } from "./browser.ts";
import { Rest } from "./rest.ts";
import { startTracker, type TrackerProcess } from "./server.ts";

export interface UiEnv {
  url: string;
  rest: Rest;
  page: Page;
}

export interface UiTestOptions {
  /** Console errors that are the behaviour under test (refused input answered 4xx, sandboxed frames). */
  expectedConsole?: RegExp;
}

export function uiTest(
  name: string,
  opts: UiTestOptions,
  body: (env: UiEnv, t: Deno.TestContext) => Promise<void>,
): void {
  Deno.test({
    name,
    // Chromium and the tracker child process outlive single steps by design.
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      let tracker: TrackerProcess | undefined;
      const browser = await launchBrowser();
      try {
        tracker = await startTracker();
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("console", (m) => {
          if (m.type() !== "error" || opts.expectedConsole?.test(m.text())) return;
          errors.push(`${m.text()} ${m.location().url}`);
        });
        await body({ url: tracker.url, rest: new Rest(tracker.url), page }, t);
        assertEquals(errors, [], "no script errors in the pages");
      } finally {
        await browser.close();
        await tracker?.stop();
      }
    },
  });
}
