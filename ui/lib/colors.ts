// Stable colours: a run (or group) gets the same colour on every chart and page, derived from its id
// alone, so the colour follows the run rather than its position in a list or the other runs shown.
// With a finite palette two runs can share a colour; within one chart the later of them is drawn dashed
// (dashesFor) instead of being recoloured, which would break the "same colour everywhere" promise.

import { fnv1a } from "./hash.ts";

// Fourteen hues of medium lightness, readable on the light and the dark theme: the common categorical
// set (Tableau 10) without its grey, which reads as a grid line, and five more picked away from those
// (the old palette held three oranges and three blues that were hard to tell apart side by side).
const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#17becf",
  "#e6a700",
  "#5f3dc4",
  "#0ca678",
  "#a61e4d",
  "#74b816",
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
