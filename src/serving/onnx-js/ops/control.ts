// ai.onnx ops with subgraphs: Scan (opset 9 on), which skl2onnx emits for the distances of KNeighbors models
// (the body takes one training row per iteration). If and Loop are not implemented.

import { allocData, size, type Tensor, UnsupportedError } from "../tensor.ts";
import { knownAttributes, normAxis } from "./args.ts";
import type { NodeContext, OpTable, Scope } from "./types.ts";

const SCAN_ATTRIBUTES = [
  "body",
  "num_scan_inputs",
  "scan_input_axes",
  "scan_input_directions",
  "scan_output_axes",
  "scan_output_directions",
];

/** Per-input (or per-output) attribute values, `count` of them, all 0 when the attribute is absent. */
function perValue(ctx: NodeContext, name: string, count: number): number[] {
  const values = ctx.attrs.ints(name, new Array(count).fill(0));
  if (values.length !== count) {
    throw new Error(`Scan node '${ctx.node.name}': ${name} has ${values.length} values for ${count}`);
  }
  return values;
}

/** Directions are 0 (forward) or 1 (reverse). Axes may be negative (onnxruntime takes them at every opset). */
function checkDirections(ctx: NodeContext, directions: number[], what: string): void {
  if (directions.some((d) => d !== 0 && d !== 1)) {
    throw new Error(`Scan node '${ctx.node.name}': ${what} directions [${directions}]`);
  }
}

/**
 * Scan: N state variables carried through the iterations and M scan inputs sliced along their axes, one slice
 * per iteration; the body returns the N next states and K scan output slices, stacked along the output axes.
 * Outputs: the N final states, then the K stacked scan outputs. Opset 8's Scan (a batch axis and
 * sequence_lens) is refused.
 */
function scan(ctx: NodeContext) {
  if (ctx.opset < 9) throw new UnsupportedError("Scan before opset 9 (with a batch axis)");
  const body = ctx.subgraph("body");
  const m = ctx.attrs.int("num_scan_inputs");
  const nInputs = ctx.node.inputs.length;
  const n = nInputs - m;
  const k = body.outputs.length - n;
  if (m < 1 || n < 0 || k < 0 || body.inputs.length !== nInputs || ctx.node.outputs.length > n + k) {
    throw new Error(
      `Scan node '${ctx.node.name}': ${nInputs} inputs (${m} scanned), a body of ${body.inputs.length} inputs` +
        ` and ${body.outputs.length} outputs, ${ctx.node.outputs.length} node outputs`,
    );
  }
  const inAxes = perValue(ctx, "scan_input_axes", m);
  const inDirections = perValue(ctx, "scan_input_directions", m);
  const outAxes = perValue(ctx, "scan_output_axes", k);
  const outDirections = perValue(ctx, "scan_output_directions", k);
  checkDirections(ctx, inDirections, "input");
  checkDirections(ctx, outDirections, "output");
  return (inputs: (Tensor | undefined)[], scope?: Scope): Tensor[] => {
    if (!scope) throw new Error("Scan runs in a session (it reads its body's values from the graph)");
    if (inputs.some((t) => !t)) throw new Error("Scan is missing an input");
    let states = inputs.slice(0, n) as Tensor[];
    const scanned = (inputs.slice(n) as Tensor[]).map((t, j) => ({
      t,
      axis: normAxis(inAxes[j], t.dims.length, "Scan input"),
      reverse: inDirections[j] === 1,
    }));
    const length = scanned[0].t.dims[scanned[0].axis];
    for (const s of scanned) {
      if (s.t.dims[s.axis] !== length) {
        throw new Error(`Scan inputs of ${length} and ${s.t.dims[s.axis]} iterations`);
      }
    }
    // onnxruntime fails there too (it cannot slice an empty axis).
    if (length === 0) throw new Error("Scan over a scan input of 0 iterations");
    const slices: Tensor[][] = Array.from({ length: k }, () => new Array<Tensor>(length));
    for (let i = 0; i < length; i++) {
      const feeds = scanned.map((s) => slice(s.t, s.axis, s.reverse ? length - 1 - i : i));
      const results = body.run([...states, ...feeds], scope);
      states = results.slice(0, n);
      for (let j = 0; j < k; j++) slices[j][outDirections[j] === 1 ? length - 1 - i : i] = results[n + j];
    }
    return [...states, ...slices.map((s, j) => stack(s, outAxes[j]))];
  };
}

/** Element `index` of `t` along `axis`, that axis removed (a view of the data when the axis is the first). */
function slice(t: Tensor, axis: number, index: number): Tensor {
  const dims = t.dims.filter((_, d) => d !== axis);
  const len = t.dims[axis];
  const inner = size(t.dims.slice(axis + 1));
  const outer = size(t.dims.slice(0, axis));
  if (outer === 1 && !Array.isArray(t.data)) {
    return { type: t.type, dims, data: t.data.subarray(index * inner, (index + 1) * inner) };
  }
  const src = t.data;
  const data = allocData(t.type, outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = (o * len + index) * inner;
    for (let i = 0; i < inner; i++) data[o * inner + i] = src[base + i];
  }
  return { type: t.type, dims, data };
}

/** The iterations' slices (all of one type and shape) stacked along a new `axis` of the output. */
function stack(slices: Tensor[], axisAttr: number): Tensor {
  const first = slices[0];
  const axis = normAxis(axisAttr, first.dims.length + 1, "Scan output");
  const count = slices.length;
  const dims = [...first.dims.slice(0, axis), count, ...first.dims.slice(axis)];
  const outer = size(first.dims.slice(0, axis));
  const inner = size(first.dims.slice(axis));
  const data = allocData(first.type, outer * count * inner);
  slices.forEach((s, c) => {
    if (s.type !== first.type || s.dims.join(",") !== first.dims.join(",")) {
      throw new Error(
        `Scan output slices of ${first.type} [${first.dims}] and ${s.type} [${s.dims}] across iterations`,
      );
    }
    const src = s.data;
    for (let o = 0; o < outer; o++) {
      const to = (o * count + c) * inner;
      for (let i = 0; i < inner; i++) data[to + i] = src[o * inner + i];
    }
  });
  return { type: first.type, dims, data };
}

export const CORE_CONTROL_OPS: OpTable = {
  Scan: knownAttributes(SCAN_ATTRIBUTES, scan),
};
