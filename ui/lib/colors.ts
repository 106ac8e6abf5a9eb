// Stable colours: a run (or group) gets the same colour on every chart and page, derived from its id,
// so the colour follows the run rather than its position in a list.

import { fnv1a } from "./hash.ts";

const PALETTE = [
  "#2f7ed8",
  "#e8590c",
  "#2b8a3e",
  "#c2255c",
  "#7048e8",
  "#0c8599",
  "#e67700",
  "#5c940d",
  "#d6336c",
  "#1971c2",
  "#9c36b5",
  "#087f5b",
  "#f08c00",
  "#15aabf",
  "#a61e4d",
  "#3b5bdb",
];

export function colorFor(id: string): string {
  return PALETTE[fnv1a(id) % PALETTE.length];
}

/** Distinct colours for a list of ids; collisions in the hash move to the next free palette slot. */
export function colorsFor(ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<number>();
  for (const id of ids) {
    let i = fnv1a(id) % PALETTE.length;
    if (used.size < PALETTE.length) {
      while (used.has(i)) i = (i + 1) % PALETTE.length;
    }
    used.add(i);
    out.set(id, PALETTE[i]);
  }
  return out;
}
