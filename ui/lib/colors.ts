// Stable colours: a run (or group) gets the same colour on every chart and page, derived from its id
// alone, so the colour follows the run rather than its position in a list or the other runs shown.
// With a finite palette two runs can share a colour; within one chart the later of them is drawn dashed
// (dashesFor) instead of being recoloured, which would break the "same colour everywhere" promise.

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

/** Dash patterns for the 2nd, 3rd, ... run of one colour in a chart. */
const DASHES = [[6, 4], [2, 3], [10, 3, 2, 3]];

export function colorFor(id: string): string {
  return PALETTE[fnv1a(id) % PALETTE.length];
}

/** For lines drawn together, by colour: a dash pattern for each line whose colour an earlier one has. */
export function dashesFor(colors: string[]): (number[] | undefined)[] {
  const seen = new Map<string, number>();
  return colors.map((c) => {
    const n = seen.get(c) ?? 0;
    seen.set(c, n + 1);
    return n > 0 ? DASHES[(n - 1) % DASHES.length] : undefined;
  });
}
