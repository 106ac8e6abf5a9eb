// The UI's static assets, embedded in the program (text imports are bundled, so the compiled binary reads
// nothing from disk). URLs carry a content hash and are cached for a year; a new build changes the URL.

import appJs from "../../../ui/generated/app.js" with { type: "text" };
import appCss from "../../../ui/styles/app.css" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import { THEME_SCRIPT } from "../../../ui/pages/theme-script.ts";
import { FAVICON_SVG } from "../../../ui/pages/favicon.ts";
import { fnv1a } from "../../../ui/lib/hash.ts";
import type { AssetUrls } from "../../../ui/pages/layout.tsx";

import { STATIC_PREFIX } from "./ui-paths.ts";
export { STATIC_PREFIX };

export interface Asset {
  name: string;
  body: string;
  type: string;
}

function hashed(stem: string, ext: string, body: string, type: string): Asset {
  const h = fnv1a(body).toString(16).padStart(8, "0") + (body.length % 0x10000).toString(16);
  return { name: `${stem}.${h}.${ext}`, body, type };
}

export const ASSETS = {
  js: hashed("app", "js", appJs, "text/javascript; charset=utf-8"),
  css: hashed("app", "css", `${uplotCss}\n${appCss}`, "text/css; charset=utf-8"),
  theme: hashed("theme", "js", THEME_SCRIPT, "text/javascript; charset=utf-8"),
  icon: hashed("icon", "svg", FAVICON_SVG, "image/svg+xml"),
};

const byName = new Map(Object.values(ASSETS).map((a) => [a.name, a]));

export function assetByName(name: string): Asset | undefined {
  return byName.get(name);
}

export function assetUrls(base: string): AssetUrls {
  return {
    js: `${base}${STATIC_PREFIX}/${ASSETS.js.name}`,
    css: `${base}${STATIC_PREFIX}/${ASSETS.css.name}`,
    theme: `${base}${STATIC_PREFIX}/${ASSETS.theme.name}`,
    icon: `${base}${STATIC_PREFIX}/${ASSETS.icon.name}`,
  };
}
