/// <reference lib="dom" />
// The client bundle: hydrates every island on the page from the JSON data block the server wrote.

import { h, hydrate } from "preact";
import { ISLANDS } from "./registry.ts";
import { followMlflowHashLink } from "../lib/hash-links.ts";

function boot() {
  if (followMlflowHashLink(location, document.documentElement.dataset.base ?? "")) return;
  const block = document.getElementById("tracker-islands");
  const props: unknown[] = block?.textContent ? JSON.parse(block.textContent) : [];
  for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
    const C = ISLANDS[el.dataset.island as keyof typeof ISLANDS];
    // deno-lint-ignore no-explicit-any
    if (C) hydrate(h(C as any, props[Number(el.dataset.props)] as object), el);
  }
  // Browser tests and the benchmark wait for this mark.
  document.documentElement.dataset.hydrated = "1";
  performance.mark("tracker-hydrated");
}

boot();
