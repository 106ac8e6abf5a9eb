// Page helpers the browser tests share: waiting for hydration, screenshots, reading a chart's pixels.

import type { Page } from "./browser.ts";

const SHOTS = new URL("../../../test-results/screenshots", import.meta.url).pathname;

/** Waits until the page's islands are hydrated (the client bundle marks <html data-hydrated>). */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector("html[data-hydrated]");
}

/** Writes test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Pixels of the canvas under `selector` within `tol` of `hex` (a run's line colour). */
export function countColor(page: Page, selector: string, hex: string, tol = 40): Promise<number> {
  return page.$eval(selector, (canvas, [hex, tol]) => {
    const c = canvas as HTMLCanvasElement;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const want = [1, 3, 5].map((i) => parseInt((hex as string).slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const diff = Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]);
      if (d[i + 3] > 0 && diff < (tol as number)) n++;
    }
    return n;
  }, [hex, tol] as [string, number]);
}
