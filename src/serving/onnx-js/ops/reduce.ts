// Reductions of ai.onnx: ReduceSum/Mean/Max/Min/Prod/SumSquare/L1/L2/LogSum/LogSumExp and ArgMax/ArgMin.
// Each call lays the input out as (output position, reduced position) pairs through two offset tables, so
// any set of axes runs the same tight loop; values accumulate in double and are stored once.

import { alloc, type ElemType, numeric, strides, UnsupportedError } from "../tensor.ts";
import type { Vec } from "./broadcast.ts";
import { intList, knownAttributes, normAxes, normAxis } from "./args.ts";
import { required } from "./misc.ts";
import type { Kernel, NodeContext, OpTable } from "./types.ts";

type Num = Vec<number>;

type Kind =
  | "sum"
  | "mean"
  | "max"
  | "min"
  | "prod"
  | "sumSquare"
  | "sumSquareF32"
  | "l1"
  | "l2"
  | "logSum"
  | "logSumExp";

interface Layout {
  /** Output shape (with or without the kept unit dimensions). */
  dims: number[];
  /** Input offset of each output element's first reduced element, in output order. */
  base: number[];
  /** Offsets, relative to a base, of the elements reduced into one output. */
  reduced: number[];
}

/**
 * Every offset Σ index[d] * stride[d] over the given dimensions, in row-major order. A plain array: small
 * typed arrays cost more to allocate than a one-row reduction takes.
 */
function offsets(dims: readonly number[], st: readonly number[]): number[] {
  let n = 1;
  for (const d of dims) n *= d;
  const out: number[] = [];
  if (n === 0) return out;
  const depth = dims.length;
  const counters = new Array<number>(depth).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out.push(off);
    for (let d = depth - 1; d >= 0; d--) {
      off += st[d];
      if (++counters[d] < dims[d]) break;
      off -= st[d] * dims[d];
      counters[d] = 0;
    }
  }
  return out;
}

/** The layout reducing `dims` over `axes` (non-negative, each once). */
function layout(dims: readonly number[], axes: readonly number[], keepdims: boolean): Layout {
  const st = strides(dims);
  const keptDims: number[] = [],
    keptStrides: number[] = [],
    redDims: number[] = [],
    redStrides: number[] = [];
  const out: number[] = [];
  dims.forEach((d, i) => {
    if (axes.includes(i)) {
      redDims.push(d);
      redStrides.push(st[i]);
      if (keepdims) out.push(1);
    } else {
      keptDims.push(d);
      keptStrides.push(st[i]);
      out.push(d);
    }
  });
  return { dims: out, base: offsets(keptDims, keptStrides), reduced: offsets(redDims, redStrides) };
}

/** One specialised loop per kind: o[i] = reduction of x[base[i] + reduced[k]] over k. */
function reduceInto(kind: Kind, o: Num, x: Num, base: readonly number[], red: readonly number[]): void {
  const n = base.length, r = red.length;
  switch (kind) {
    case "sum":
    case "mean":
    case "logSum":
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let s = 0;
        for (let k = 0; k < r; k++) s += x[b + red[k]];
        // The mean of nothing is 0 in onnxruntime, not 0/0.
        o[i] = kind === "sum" ? s : kind === "mean" ? (r === 0 ? 0 : s / r) : Math.log(s);
      }
      return;
    case "sumSquare":
    case "l2":
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let s = 0;
        for (let k = 0; k < r; k++) {
          const v = x[b + red[k]];
          s += v * v;
        }
        o[i] = kind === "l2" ? Math.sqrt(s) : s;
      }
      return;
    case "sumSquareF32":
      // onnxruntime's float32 steps, element by element in row-major order (KNeighbors' distances tie-break
      // on them): each square rounded to float32, then each sum.
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let s = 0;
        for (let k = 0; k < r; k++) {
          const v = x[b + red[k]];
          s = Math.fround(s + Math.fround(v * v));
        }
        o[i] = s;
      }
      return;
    case "l1":
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let s = 0;
        for (let k = 0; k < r; k++) s += Math.abs(x[b + red[k]]);
        o[i] = s;
      }
      return;
    case "prod":
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let p = 1;
        for (let k = 0; k < r; k++) p *= x[b + red[k]];
        o[i] = p;
      }
      return;
    case "max":
      // NaN wins once seen (onnxruntime's answer with NaN depends on its vector width; this one does not).
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let m = -Infinity;
        for (let k = 0; k < r; k++) {
          const v = x[b + red[k]];
          if (v > m || v !== v) m = v;
          if (m !== m) break;
        }
        o[i] = m;
      }
      return;
    case "min":
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let m = Infinity;
        for (let k = 0; k < r; k++) {
          const v = x[b + red[k]];
          if (v < m || v !== v) m = v;
          if (m !== m) break;
        }
        o[i] = m;
      }
      return;
    case "logSumExp":
      // Shifted by the maximum so large inputs do not overflow; an infinite maximum is not subtracted.
      for (let i = 0; i < n; i++) {
        const b = base[i];
        let m = -Infinity;
        for (let k = 0; k < r; k++) m = Math.max(m, x[b + red[k]]);
        const shift = Number.isFinite(m) ? m : 0;
        let s = 0;
        for (let k = 0; k < r; k++) s += Math.exp(x[b + red[k]] - shift);
        o[i] = Math.log(s) + shift;
      }
      return;
  }
}

const isIntegral = (t: ElemType) => t !== "float32" && t !== "float64";

/**
 * A Reduce* op. Axes are an attribute before `inputSince` and the optional second input from it on; with no
 * axes every axis is reduced, unless noop_with_empty_axes, which reduces over none (each element alone, so
 * ReduceSumSquare still squares, as onnxruntime does).
 */
function reduction(op: string, kind: Kind, inputSince: number) {
  return ({ attrs, opset }: NodeContext): Kernel => {
    const keepdims = attrs.int("keepdims", 1) !== 0;
    const fromInput = opset >= inputSince;
    const noop = fromInput && attrs.int("noop_with_empty_axes", 0) !== 0;
    const attrAxes = fromInput ? [] : attrs.ints("axes", []);
    return (inputs) => {
      const x = required(inputs[0], op);
      const data = numeric(x, op) as Num;
      if (x.type === "bool" && kind !== "max" && kind !== "min") throw new UnsupportedError(`${op} on bool`);
      const given = fromInput && inputs[1] ? intList(inputs[1], op) : attrAxes;
      const rank = x.dims.length;
      const axes = given.length > 0 ? normAxes(given, rank, op) : noop ? [] : x.dims.map((_, i) => i);
      const l = layout(x.dims, axes, keepdims);
      const out = alloc(x.type, l.dims);
      const o = out.data as Num;
      // A float32 ReduceSumSquare over some axes takes onnxruntime's float32 steps; over every axis
      // onnxruntime sums in its own vectorised order, which double accumulation approaches more closely.
      const f32Steps = kind === "sumSquare" && x.type === "float32" && axes.length < rank;
      reduceInto(f32Steps ? "sumSquareF32" : kind, o, data, l.base, l.reduced);
      // int64 is held in doubles: a mean or an L2 norm must be truncated like the integer it stands for.
      if (isIntegral(x.type) && o instanceof Float64Array) {
        for (let i = 0; i < o.length; i++) o[i] = Math.trunc(o[i]);
      }
      return [out];
    };
  };
}

/** ArgMax/ArgMin: int64 indices along one axis; ties go to the first index, or the last with select_last_index. */
function argReduce(op: string, wantMax: boolean) {
  return ({ attrs }: NodeContext): Kernel => {
    const axis = attrs.int("axis", 0);
    const keepdims = attrs.int("keepdims", 1) !== 0;
    const last = attrs.int("select_last_index", 0) !== 0;
    return (inputs) => {
      const x = required(inputs[0], op);
      const data = numeric(x, op) as Num;
      const rank = x.dims.length;
      const a = normAxis(axis, rank, op);
      if (x.dims[a] === 0) throw new Error(`${op}: axis ${axis} has no elements`);
      const l = layout(x.dims, [a], keepdims);
      const out = alloc("int64", l.dims);
      const o = out.data as Float64Array, base = l.base, red = l.reduced, r = red.length;
      // A NaN is never "better", so it is chosen only when it comes first (as onnxruntime's scan does).
      for (let i = 0; i < base.length; i++) {
        const b = base[i];
        let best = data[b], at = 0;
        for (let k = 1; k < r; k++) {
          const v = data[b + red[k]];
          const better = wantMax ? (last ? v >= best : v > best) : (last ? v <= best : v < best);
          if (better) {
            best = v;
            at = k;
          }
        }
        o[i] = at;
      }
      return [out];
    };
  };
}

const REDUCE_ATTRIBUTES = ["axes", "keepdims", "noop_with_empty_axes"];
const ARG_ATTRIBUTES = ["axis", "keepdims", "select_last_index"];

export const CORE_REDUCE_OPS: OpTable = {
  ReduceSum: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceSum", "sum", 13)),
  ReduceMean: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceMean", "mean", 18)),
  ReduceMax: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceMax", "max", 18)),
  ReduceMin: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceMin", "min", 18)),
  ReduceProd: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceProd", "prod", 18)),
  ReduceSumSquare: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceSumSquare", "sumSquare", 18)),
  ReduceL1: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceL1", "l1", 18)),
  ReduceL2: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceL2", "l2", 18)),
  ReduceLogSum: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceLogSum", "logSum", 18)),
  ReduceLogSumExp: knownAttributes(REDUCE_ATTRIBUTES, reduction("ReduceLogSumExp", "logSumExp", 18)),
  ArgMax: knownAttributes(ARG_ATTRIBUTES, argReduce("ArgMax", true)),
  ArgMin: knownAttributes(ARG_ATTRIBUTES, argReduce("ArgMin", false)),
};
