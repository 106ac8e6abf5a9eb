// The HTML document around every page: stylesheet, the early theme script, the island bundle, the top
// bar, and the JSON block the islands hydrate from. No inline script or style element: the CSP forbids them.

import type { ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import { homeUrl } from "../lib/links.ts";
import { Island, IslandPropsList, jsonForScript } from "./island.tsx";

export interface AssetUrls {
  css: string;
  js: string;
  theme: string;
  icon: string;
}

export interface PageShell {
  base: string;
  title: string;
  assets: AssetUrls;
  nav?: "experiments" | "run" | "compare" | "models";
}

function IslandData() {
  const list = useContext(IslandPropsList)!;
  return (
    <script
      type="application/json"
      id="tracker-islands"
      dangerouslySetInnerHTML={{ __html: jsonForScript(list) }}
    />
  );
}

function Document({ shell, children }: { shell: PageShell; children: ComponentChildren }) {
  const { base, assets } = shell;
  return (
    <html lang="en" data-base={base}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{shell.title ? `${shell.title} · tracker` : "tracker"}</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.css} />
        <script src={assets.theme} />
        <script src={assets.js} defer />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href={homeUrl(base)}>tracker</a>
          <nav class="topnav">
            <a href={homeUrl(base)} class={shell.nav === "experiments" ? "current" : ""}>Experiments</a>
            <a href={`${base}/models`} class={shell.nav === "models" ? "current" : ""}>Models</a>
          </nav>
          <span class="grow" />
          <Island name="ThemeToggle" props={{}} />
        </header>
        <main class={`page page-${shell.nav ?? "other"}`}>{children}</main>
        <IslandData />
      </body>
    </html>
  );
}

/** The whole page as HTML text. */
export function renderPage(shell: PageShell, body: ComponentChildren): string {
  const props: unknown[] = [];
  const html = renderToString(
    <IslandPropsList.Provider value={props}>
      <Document shell={shell}>{body}</Document>
    </IslandPropsList.Provider>,
  );
  return `<!doctype html>${html}`;
}
