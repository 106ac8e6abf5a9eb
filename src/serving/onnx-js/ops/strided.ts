// Copies between strided views of tensor data, and the strides that read a tensor broadcast to a larger shape:
// Transpose, Slice, Expand, Tile, Pad and MatMul's batches are all built on these.

import { size, strides } from "../tensor.ts";
import type { Vec } from "./broadcast.ts";

/** Element access common to typed arrays and string arrays, for code that only copies values. */
export type Values = Vec<number | string>;

/**
 * Copies a strided view: for every index of `dims`, out[outBase + Σ i·outStrides] = src[srcBase + Σ i·srcStrides].
 * Transpose, Slice, Expand, Tile and Pad are all this copy with different strides.
 */
export function stridedCopy(
  src: Values,
  srcBase: number,
  srcStrides: readonly number[],
  out: Values,
  outBase: number,
  outStrides: readonly number[],
  dims: readonly number[],
): void {
  if (size(dims) === 0) return;
  const rank = dims.length;
  if (rank === 0) {
    out[outBase] = src[srcBase];
    return;
  }
  const last = rank - 1;
  const n = dims[last];
  const ss = srcStrides[last];
  const os = outStrides[last];
  const idx = new Array<number>(rank).fill(0);
  let s0 = srcBase;
  let o0 = outBase;
  for (;;) {
    for (let j = 0, s = s0, o = o0; j < n; j++, s += ss, o += os) out[o] = src[s];
    let d = last - 1;
    for (; d >= 0; d--) {
      s0 += srcStrides[d];
      o0 += outStrides[d];
      if (++idx[d] < dims[d]) break;
      s0 -= srcStrides[d] * dims[d];
      o0 -= outStrides[d] * dims[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Strides that read a tensor of shape `dims` broadcast to `to` (0 along broadcast dimensions). */
export function broadcastStrides(dims: readonly number[], to: readonly number[]): number[] {
  const s = strides(dims);
  const offset = to.length - dims.length;
  return to.map((_, i) => (i < offset || dims[i - offset] === 1 ? 0 : s[i - offset]));
}
