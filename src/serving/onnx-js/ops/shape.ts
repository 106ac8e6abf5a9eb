// ai.onnx ops that reshape, reorder, select or replicate values without computing on them: Reshape, Flatten,
// Transpose, Squeeze, Unsqueeze, Concat, Split, Slice, Gather, GatherElements, Shape, Size,
// ConstantOfShape, Expand, Tile, Pad (constant mode), Range, NonZero. They move values of any element type,
// strings and bools included. Ops whose output holds the input's values in the same order (Reshape,
// Flatten, Squeeze, Unsqueeze) share the input's data, as ONNX Runtime does.

import {
  alloc,
  fromValues,
  numeric,
  size,
  strides,
  type Tensor,
  type TensorData,
  UnsupportedError,
} from "../tensor.ts";
import { intList, knownAttributes, normAxes, normAxis } from "./args.ts";
import { broadcastShape } from "./broadcast.ts";
import { required } from "./misc.ts";
import { broadcastStrides, stridedCopy, type Values } from "./strided.ts";
import type { OpTable } from "./types.ts";

function view(x: Tensor, dims: number[]): Tensor {
  return { type: x.type, dims, data: x.data };
}

/** A shape input or attribute applied as Reshape does: 0 copies the input's dimension unless allowzero. */
function reshapeDims(x: Tensor, shape: number[], allowZero: boolean): number[] {
  const dims = shape.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= x.dims.length) throw new Error(`Reshape: 0 at index ${i} of a rank ${x.dims.length} input`);
      return x.dims[i];
    }
    return d;
  });
  const unknown = dims.indexOf(-1);
  if (unknown !== dims.lastIndexOf(-1)) throw new Error("Reshape: more than one -1 in the shape");
  if (dims.some((d) => d < -1)) throw new Error(`Reshape: invalid shape [${shape}]`);
  const n = size(x.dims);
  if (unknown >= 0) {
    const rest = dims.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (rest === 0 || n % rest !== 0) {
      throw new Error(`Reshape: cannot infer -1 reshaping [${x.dims}] to [${shape}]`);
    }
    dims[unknown] = n / rest;
  }
  if (size(dims) !== n) throw new Error(`Reshape: cannot reshape [${x.dims}] to [${shape}]`);
  return dims;
}

function squeeze(x: Tensor, axes: number[] | undefined): Tensor {
  if (!axes) return view(x, x.dims.filter((d) => d !== 1));
  const drop = normAxes(axes, x.dims.length, "Squeeze");
  for (const a of drop) {
    if (x.dims[a] !== 1) throw new Error(`Squeeze: dimension ${a} of [${x.dims}] is not 1`);
  }
  return view(x, x.dims.filter((_, i) => !drop.includes(i)));
}

function unsqueeze(x: Tensor, axes: number[]): Tensor {
  const rank = x.dims.length + axes.length;
  const add = normAxes(axes, rank, "Unsqueeze");
  const dims: number[] = [];
  for (let i = 0, k = 0; i < rank; i++) dims.push(add.includes(i) ? 1 : x.dims[k++]);
  return view(x, dims);
}

function transpose(x: Tensor, perm: number[] | undefined): Tensor {
  const rank = x.dims.length;
  const p = perm ?? x.dims.map((_, i) => rank - 1 - i);
  if (p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new Error(`Transpose: perm [${p}] is not a permutation of the ${rank} axes`);
  }
  const dims = p.map((a) => x.dims[a]);
  const inStrides = strides(x.dims);
  const out = alloc(x.type, dims);
  stridedCopy(x.data, 0, p.map((a) => inStrides[a]), out.data, 0, strides(dims), dims);
  return out;
}

function concat(inputs: Tensor[], axisAttr: number): Tensor {
  const first = inputs[0];
  const rank = first.dims.length;
  const axis = normAxis(axisAttr, rank, "Concat");
  let total = 0;
  for (const t of inputs) {
    if (t.type !== first.type) throw new Error(`Concat: inputs of types ${first.type} and ${t.type}`);
    if (t.dims.length !== rank || t.dims.some((d, i) => i !== axis && d !== first.dims[i])) {
      throw new Error(`Concat: shapes [${first.dims}] and [${t.dims}] differ outside axis ${axis}`);
    }
    total += t.dims[axis];
  }
  const dims = first.dims.map((d, i) => (i === axis ? total : d));
  const out = alloc(first.type, dims);
  const o = out.data as Values;
  const outer = size(dims.slice(0, axis));
  const inner = size(dims.slice(axis + 1));
  let k = 0;
  for (let b = 0; b < outer; b++) {
    for (const t of inputs) {
      const block = t.dims[axis] * inner;
      const src = t.data as Values;
      for (let j = 0, s = b * block; j < block; j++) o[k++] = src[s++];
    }
  }
  return out;
}

/** Splits `x` along `axis` into pieces of the given lengths. */
function splitInto(x: Tensor, axis: number, lengths: number[]): Tensor[] {
  const outer = size(x.dims.slice(0, axis));
  const inner = size(x.dims.slice(axis + 1));
  const dim = x.dims[axis];
  const src = x.data as Values;
  let start = 0;
  return lengths.map((len) => {
    const out = alloc(x.type, x.dims.map((d, i) => (i === axis ? len : d)));
    const o = out.data as Values;
    const block = len * inner;
    for (let b = 0, k = 0; b < outer; b++) {
      for (let j = 0, s = (b * dim + start) * inner; j < block; j++) o[k++] = src[s++];
    }
    start += len;
    return out;
  });
}

interface SliceSpec {
  starts: number[];
  ends: number[];
  axes?: number[];
  steps?: number[];
}

function slice(x: Tensor, spec: SliceSpec): Tensor {
  const rank = x.dims.length;
  const { starts, ends } = spec;
  const axes = spec.axes ?? starts.map((_, i) => i);
  const steps = spec.steps ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new Error("Slice: starts, ends, axes and steps differ in length");
  }
  const inStrides = strides(x.dims);
  const begin = x.dims.map(() => 0);
  const dims = [...x.dims];
  const step = x.dims.map(() => 1);
  const seen = new Set<number>();
  axes.forEach((a0, i) => {
    const a = normAxis(a0, rank, "Slice");
    if (seen.has(a)) throw new Error(`Slice: axis ${a} given twice`);
    seen.add(a);
    const d = x.dims[a];
    const st = steps[i];
    if (st === 0) throw new Error("Slice: step 0");
    let s = starts[i] < 0 ? starts[i] + d : starts[i];
    let e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (st > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    begin[a] = s;
    step[a] = st;
    dims[a] = Math.max(0, Math.ceil((e - s) / st));
  });
  const base = begin.reduce((p, b, i) => p + b * inStrides[i], 0);
  const out = alloc(x.type, dims);
  stridedCopy(x.data, base, inStrides.map((s, i) => s * step[i]), out.data, 0, strides(dims), dims);
  return out;
}

function gather(x: Tensor, indices: Tensor, axisAttr: number): Tensor {
  const axis = normAxis(axisAttr, x.dims.length, "Gather");
  const ind = numeric(indices, "Gather indices");
  const n = x.dims[axis];
  const outer = size(x.dims.slice(0, axis));
  const inner = size(x.dims.slice(axis + 1));
  const m = ind.length;
  if (x.type === "string" && inner > 1) {
    // onnxruntime 1.31 copies only the first string of each gathered block (the rest come out empty); refuse
    // rather than give a different answer than the runtime we stand in for.
    throw new UnsupportedError(
      "Gather of string rows (onnxruntime fills all but their first string with '')",
    );
  }
  const out = alloc(x.type, [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)]);
  const src = x.data as Values;
  const o = out.data as Values;
  for (let i = 0; i < m; i++) {
    if (ind[i] < -n || ind[i] >= n) {
      throw new Error(`Gather: index ${ind[i]} is out of range for dimension ${n}`);
    }
  }
  let k = 0;
  for (let b = 0; b < outer; b++) {
    for (let i = 0; i < m; i++) {
      const idx = ind[i] < 0 ? ind[i] + n : ind[i];
      for (let j = 0, s = (b * n + idx) * inner; j < inner; j++) o[k++] = src[s++];
    }
  }
  return out;
}

function gatherElements(x: Tensor, indices: Tensor, axisAttr: number): Tensor {
  const rank = x.dims.length;
  const axis = normAxis(axisAttr, rank, "GatherElements");
  if (indices.dims.length !== rank) {
    throw new Error(`GatherElements: indices of rank ${indices.dims.length} for data of rank ${rank}`);
  }
  indices.dims.forEach((d, i) => {
    if (i !== axis && d > x.dims[i]) {
      throw new Error(`GatherElements: indices shape [${indices.dims}] exceeds data shape [${x.dims}]`);
    }
  });
  const ind = numeric(indices, "GatherElements indices");
  const out = alloc(x.type, [...indices.dims]);
  const n = x.dims[axis];
  const ds = strides(x.dims);
  const src = x.data as Values;
  const o = out.data as Values;
  const idx = new Array<number>(rank).fill(0);
  let base = 0; // offset in x of idx with the axis coordinate left at 0
  for (let k = 0; k < ind.length; k++) {
    let v = ind[k];
    if (v < -n || v >= n) throw new Error(`GatherElements: index ${v} is out of range for dimension ${n}`);
    if (v < 0) v += n;
    o[k] = src[base + v * ds[axis]];
    for (let d = rank - 1; d >= 0; d--) {
      if (d !== axis) base += ds[d];
      if (++idx[d] < indices.dims[d]) break;
      if (d !== axis) base -= ds[d] * indices.dims[d];
      idx[d] = 0;
    }
  }
  return out;
}

function expand(x: Tensor, shape: number[]): Tensor {
  const dims = broadcastShape("Expand", [x.dims, shape]);
  const out = alloc(x.type, dims);
  stridedCopy(x.data, 0, broadcastStrides(x.dims, dims), out.data, 0, strides(dims), dims);
  return out;
}

function tile(x: Tensor, repeats: number[]): Tensor {
  const rank = x.dims.length;
  if (repeats.length !== rank) throw new Error(`Tile: ${repeats.length} repeats for rank ${rank}`);
  if (repeats.some((r) => r < 0)) throw new Error(`Tile: negative repeats [${repeats}]`);
  // The output seen as [r0, d0, r1, d1, ...] reads x at stride 0 along every r.
  const s = strides(x.dims);
  const viewDims = x.dims.flatMap((d, i) => [repeats[i], d]);
  const out = alloc(x.type, x.dims.map((d, i) => d * repeats[i]));
  stridedCopy(x.data, 0, s.flatMap((st) => [0, st]), out.data, 0, strides(viewDims), viewDims);
  return out;
}

/** Constant-mode Pad: `pads` holds every axis's begin counts then every axis's end counts (negative crops). */
function pad(x: Tensor, pads: number[], value: number): Tensor {
  const rank = x.dims.length;
  if (x.type === "string") throw new UnsupportedError("Pad on string tensors");
  if (pads.length !== 2 * rank) throw new Error(`Pad: ${pads.length} pads for rank ${rank}`);
  const dims = x.dims.map((d, i) => d + pads[i] + pads[rank + i]);
  if (dims.some((d) => d < 0)) throw new Error(`Pad: pads [${pads}] crop [${x.dims}] below zero`);
  const out = alloc(x.type, dims);
  const fill = fromValues(x.type, [], [value]).data[0] as number;
  if (fill !== 0) (out.data as Float64Array).fill(fill);
  // The part of x that lands in the output: x index s goes to s + begin.
  const inStrides = strides(x.dims);
  const outStrides = strides(dims);
  const from = x.dims.map((_, i) => Math.max(0, -pads[i]));
  const region = x.dims.map((d, i) => Math.max(0, Math.min(d, dims[i] - pads[i]) - from[i]));
  const srcBase = from.reduce((p, f, i) => p + f * inStrides[i], 0);
  const outBase = from.reduce((p, f, i) => p + (f + pads[i]) * outStrides[i], 0);
  stridedCopy(x.data, srcBase, inStrides, out.data, outBase, outStrides, region);
  return out;
}

/** ONNX Runtime's Range: ceil((limit - start) / delta) values, each the previous plus delta in the type. */
function range(start: Tensor, limit: Tensor, delta: Tensor): Tensor {
  const type = start.type;
  if (limit.type !== type || delta.type !== type) throw new Error("Range: inputs of different types");
  if (type === "string" || type === "bool") throw new UnsupportedError(`Range on ${type}`);
  const [s, l, d] = [start, limit, delta].map((t) => {
    if (size(t.dims) !== 1) throw new Error("Range: start, limit and delta must be scalars");
    return (t.data as Float64Array)[0];
  });
  if (d === 0) throw new Error("Range: delta is 0");
  const round = type === "float32" ? Math.fround : (v: number) => v;
  const n = Math.max(0, Math.ceil(round(l - s) / d));
  const out = alloc(type, [n]);
  const o = out.data as Float64Array;
  for (let i = 0, v = s; i < n; i++, v = round(v + d)) o[i] = v;
  return out;
}

function nonZero(x: Tensor): Tensor {
  const data = numeric(x, "NonZero");
  const rank = x.dims.length;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  const out = alloc("int64", [Math.max(rank, 1), count]);
  const o = out.data as Float64Array;
  if (rank === 0) return out; // a scalar: its only index is (), written as 0s
  const s = strides(x.dims);
  for (let i = 0, c = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    for (let d = 0, rest = i; d < rank; d++) {
      o[d * count + c] = Math.floor(rest / s[d]);
      rest %= s[d];
    }
    c++;
  }
  return out;
}

function int64Vector(values: number[]): Tensor {
  return { type: "int64", dims: [values.length], data: Float64Array.from(values) };
}

/** The `value` attribute of ConstantOfShape: a one-element tensor, float32 0 when absent. */
function fillValue(t: Tensor | undefined): { type: Tensor["type"]; value: number | string } {
  if (!t) return { type: "float32", value: 0 };
  if (size(t.dims) !== 1) throw new Error("ConstantOfShape: value must hold exactly one element");
  return { type: t.type, value: (t.data as Values)[0] };
}

function fillData(data: TensorData, value: number | string): void {
  if (Array.isArray(data)) data.fill(String(value));
  else if (value !== 0) data.fill(Number(value));
}

export const CORE_SHAPE_OPS: OpTable = {
  Reshape: knownAttributes(["allowzero", "shape", "consumed_inputs"], ({ attrs, opset }) => {
    const allowZero = opset >= 14 && attrs.int("allowzero", 0) === 1;
    if (opset < 5) {
      const shape = attrs.ints("shape");
      return ([x]) => {
        const t = required(x, "Reshape");
        return [view(t, reshapeDims(t, shape, false))];
      };
    }
    return ([x, shape]) => {
      const t = required(x, "Reshape");
      return [view(t, reshapeDims(t, intList(required(shape, "Reshape"), "Reshape shape"), allowZero))];
    };
  }),
  Flatten: knownAttributes(["axis"], ({ attrs }) => {
    const axisAttr = attrs.int("axis", 1);
    return ([x]) => {
      const t = required(x, "Flatten");
      const rank = t.dims.length;
      if (axisAttr < -rank || axisAttr > rank) throw new Error(`Flatten: axis ${axisAttr} for rank ${rank}`);
      const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
      return [view(t, [size(t.dims.slice(0, axis)), size(t.dims.slice(axis))])];
    };
  }),
  Transpose: knownAttributes(["perm"], ({ attrs }) => {
    const perm = attrs.has("perm") ? attrs.ints("perm") : undefined;
    return ([x]) => [transpose(required(x, "Transpose"), perm)];
  }),
  Squeeze: knownAttributes(["axes"], ({ attrs, opset }) => {
    if (opset < 13) {
      const axes = attrs.has("axes") ? attrs.ints("axes") : undefined;
      return ([x]) => [squeeze(required(x, "Squeeze"), axes)];
    }
    // onnxruntime treats an empty axes tensor as no axes given: every dimension of 1 goes.
    return ([x, axes]) => [
      squeeze(
        required(x, "Squeeze"),
        axes && size(axes.dims) > 0 ? intList(axes, "Squeeze axes") : undefined,
      ),
    ];
  }),
  Unsqueeze: knownAttributes(["axes"], ({ attrs, opset }) => {
    if (opset < 13) {
      const axes = attrs.ints("axes");
      return ([x]) => [unsqueeze(required(x, "Unsqueeze"), axes)];
    }
    return ([x, axes]) => [
      unsqueeze(required(x, "Unsqueeze"), intList(required(axes, "Unsqueeze"), "Unsqueeze axes")),
    ];
  }),
  Concat: knownAttributes(["axis"], ({ attrs, opset }) => {
    const axis = opset < 4 ? attrs.int("axis", 1) : attrs.int("axis");
    return (inputs) => {
      if (inputs.length === 0) throw new Error("Concat has no inputs");
      return [concat(inputs.map((t) => required(t, "Concat")), axis)];
    };
  }),
  Split: knownAttributes(["axis", "split", "num_outputs"], ({ attrs, opset, node }) => {
    if (opset < 2) throw new UnsupportedError("Split before opset 2");
    const axisAttr = attrs.int("axis", 0);
    const count = node.outputs.length;
    const fixed = opset < 13 && attrs.has("split") ? attrs.ints("split") : undefined;
    const numOutputs = opset >= 18 && attrs.has("num_outputs") ? attrs.int("num_outputs") : undefined;
    if (numOutputs !== undefined && numOutputs !== count) {
      throw new Error(`Split: num_outputs ${numOutputs} but ${count} outputs`);
    }
    return ([x, splitInput]) => {
      const t = required(x, "Split");
      const axis = normAxis(axisAttr, t.dims.length, "Split");
      const dim = t.dims[axis];
      // An empty split input counts as none given, as in onnxruntime.
      let lengths = fixed ??
        (splitInput && size(splitInput.dims) > 0 ? intList(splitInput, "Split split") : undefined);
      if (!lengths) {
        if (numOutputs !== undefined) {
          // Opset 18: pieces of ceil(dim / n), the last one smaller.
          const chunk = Math.ceil(dim / count);
          lengths = Array.from({ length: count }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
        } else {
          if (dim % count !== 0) {
            throw new Error(`Split: dimension ${dim} does not split into ${count} equal parts`);
          }
          lengths = new Array<number>(count).fill(dim / count);
        }
      }
      if (
        lengths.length !== count || lengths.reduce((a, b) => a + b, 0) !== dim || lengths.some((l) => l < 0)
      ) {
        throw new Error(`Split: lengths [${lengths}] do not split dimension ${dim} into ${count} outputs`);
      }
      return splitInto(t, axis, lengths);
    };
  }),
  Slice: knownAttributes(["starts", "ends", "axes"], ({ attrs, opset }) => {
    if (opset < 10) {
      const spec: SliceSpec = {
        starts: attrs.ints("starts"),
        ends: attrs.ints("ends"),
        axes: attrs.has("axes") ? attrs.ints("axes") : undefined,
      };
      return ([x]) => [slice(required(x, "Slice"), spec)];
    }
    return ([x, starts, ends, axes, steps]) => [
      slice(required(x, "Slice"), {
        starts: intList(required(starts, "Slice"), "Slice starts"),
        ends: intList(required(ends, "Slice"), "Slice ends"),
        axes: axes && intList(axes, "Slice axes"),
        steps: steps && intList(steps, "Slice steps"),
      }),
    ];
  }),
  Gather: knownAttributes(["axis"], ({ attrs }) => {
    const axis = attrs.int("axis", 0);
    return ([x, indices]) => [gather(required(x, "Gather"), required(indices, "Gather"), axis)];
  }),
  GatherElements: knownAttributes(["axis"], ({ attrs }) => {
    const axis = attrs.int("axis", 0);
    return ([x, indices]) => [
      gatherElements(required(x, "GatherElements"), required(indices, "GatherElements"), axis),
    ];
  }),
  Shape: knownAttributes(["start", "end"], ({ attrs, opset }) => {
    const start = opset >= 15 ? attrs.int("start", 0) : 0;
    const end = opset >= 15 && attrs.has("end") ? attrs.int("end") : undefined;
    return ([x]) => {
      const dims = required(x, "Shape").dims;
      const r = dims.length;
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
      return [int64Vector(dims.slice(clamp(start), clamp(end ?? r)))];
    };
  }),
  Size: knownAttributes(
    [],
    () => ([x]) => [{ type: "int64", dims: [], data: Float64Array.of(size(required(x, "Size").dims)) }],
  ),
  ConstantOfShape: knownAttributes(["value"], ({ attrs }) => {
    const { type, value } = fillValue(attrs.tensor("value"));
    return ([shape]) => {
      const dims = intList(required(shape, "ConstantOfShape"), "ConstantOfShape input");
      if (dims.some((d) => d < 0)) throw new Error(`ConstantOfShape: negative dimension in [${dims}]`);
      const out = alloc(type, dims);
      fillData(out.data, value);
      return [out];
    };
  }),
  Expand: knownAttributes([], () => ([x, shape]) => [
    expand(required(x, "Expand"), intList(required(shape, "Expand"), "Expand shape")),
  ]),
  Tile: knownAttributes([], ({ opset }) => {
    if (opset < 6) throw new UnsupportedError("Tile before opset 6 (tiles and axis inputs)");
    return ([x, repeats]) => [tile(required(x, "Tile"), intList(required(repeats, "Tile"), "Tile repeats"))];
  }),
  Pad: knownAttributes(["mode", "pads", "value"], ({ attrs, opset }) => {
    if (opset < 2) throw new UnsupportedError("Pad before opset 2 (paddings attribute)");
    const mode = attrs.string("mode", "constant");
    if (mode !== "constant") throw new UnsupportedError(`Pad mode '${mode}'`);
    if (opset < 11) {
      const pads = attrs.ints("pads");
      const value = attrs.float("value", 0);
      return ([x]) => [pad(required(x, "Pad"), pads, value)];
    }
    return ([x, padsIn, valueIn, axesIn]) => {
      const t = required(x, "Pad");
      const rank = t.dims.length;
      let pads = intList(required(padsIn, "Pad"), "Pad pads");
      if (axesIn) {
        // Opset 18: pads name only the given axes; the others are not padded.
        const axes = intList(axesIn, "Pad axes").map((a) => normAxis(a, rank, "Pad"));
        if (pads.length !== 2 * axes.length) {
          throw new Error(`Pad: ${pads.length} pads for ${axes.length} axes`);
        }
        const full = new Array<number>(2 * rank).fill(0);
        axes.forEach((a, i) => {
          full[a] = pads[i];
          full[rank + a] = pads[axes.length + i];
        });
        pads = full;
      }
      let value = 0;
      if (valueIn && size(valueIn.dims) > 0) {
        if (valueIn.type !== t.type) {
          throw new Error(`Pad: constant_value is ${valueIn.type}, data ${t.type}`);
        }
        value = numeric(valueIn, "Pad")[0];
      }
      return [pad(t, pads, value)];
    };
  }),
  Range: knownAttributes([], () => ([start, limit, delta]) => [
    range(required(start, "Range"), required(limit, "Range"), required(delta, "Range")),
  ]),
  NonZero: knownAttributes([], () => ([x]) => [nonZero(required(x, "NonZero"))]),
};
