// Reading op arguments the same way in every kernel: the attributes a node may set, integer inputs (shapes,
// axes, indices) as plain numbers, and axes made non-negative with ONNX's range checks.

import { numeric, type Tensor, UnsupportedError } from "../tensor.ts";
import type { OpFactory } from "./types.ts";

/**
 * `factory` behind a check that the node sets no attribute outside `names`: an attribute this engine does not
 * read (from a newer opset, or a typo onnxruntime might still act on) refuses the model instead of being ignored.
 */
export function knownAttributes(names: string[], factory: OpFactory): OpFactory {
  return (ctx) => {
    for (const name of ctx.node.attributes.keys()) {
      if (!names.includes(name)) throw new UnsupportedError(`${ctx.node.opType} attribute '${name}'`);
    }
    return factory(ctx);
  };
}

/** The values of an integer tensor input (shape, axes, indices, ...) as plain numbers. */
export function intList(t: Tensor, op: string): number[] {
  return Array.from(numeric(t, op));
}

/** `axis` in [-rank, rank) made non-negative, or an error naming the op. */
export function normAxis(axis: number, rank: number, op: string): number {
  if (axis < -rank || axis >= rank) throw new Error(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Sorted non-negative axes of a rank, each at most once. */
export function normAxes(axes: number[], rank: number, op: string): number[] {
  const out = axes.map((a) => normAxis(a, rank, op)).sort((a, b) => a - b);
  if (out.some((a, i) => i > 0 && a === out[i - 1])) throw new Error(`${op}: repeated axis in [${axes}]`);
  return out;
}
