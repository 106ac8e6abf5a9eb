// ai.onnx linear algebra: MatMul and Gemm (matmul.ts), and the ops along one axis: Softmax, LogSoftmax,
// Hardmax, LpNormalization, CumSum, TopK.

import { alloc, type NumericData, size, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { MATMUL_OPS } from "./matmul.ts";
import { intList, knownAttributes, normAxis } from "./args.ts";
import type { NodeContext, OpTable } from "./types.ts";

const FLOAT_TYPES = new Set(["float32", "float64"]);
const CUMSUM_TYPES = new Set(["float32", "float64", "int32", "int64", "uint32", "uint64"]);

function floats(t: Tensor, op: string): NumericData {
  if (!FLOAT_TYPES.has(t.type)) throw new UnsupportedError(`${op} on ${t.type} tensors`);
  return t.data as NumericData;
}

type AxisKind = "softmax" | "logsoftmax" | "hardmax";

/**
 * Softmax, LogSoftmax and Hardmax. Before opset 13 the input is seen as 2-D, [before axis, from axis on], and
 * the op runs over each row; from 13 it runs along `axis` alone.
 */
function alongAxis(kind: AxisKind, op: string) {
  return ({ attrs, opset }: NodeContext) => {
    const coerce2d = opset < 13;
    const axisAttr = attrs.int("axis", coerce2d ? 1 : -1);
    return ([x]: (Tensor | undefined)[]): Tensor[] => {
      const t = required(x, op);
      const src = floats(t, op);
      const axis = normAxis(axisAttr, t.dims.length, op);
      const outer = size(t.dims.slice(0, axis));
      const n = coerce2d ? size(t.dims.slice(axis)) : t.dims[axis];
      const inner = coerce2d ? 1 : size(t.dims.slice(axis + 1));
      const out = alloc(t.type, [...t.dims]);
      const o = out.data as NumericData;
      const exps = new Float64Array(kind === "softmax" ? n : 0);
      for (let b = 0; b < outer; b++) {
        for (let j = 0; j < inner; j++) {
          const base = b * n * inner + j;
          const end = base + n * inner;
          let max = -Infinity;
          let arg = base;
          for (let i = base; i < end; i += inner) {
            if (src[i] > max) {
              max = src[i];
              arg = i;
            }
          }
          if (kind === "hardmax") {
            if (n > 0) o[arg] = 1;
            continue;
          }
          let sum = 0;
          if (kind === "softmax") {
            for (let i = base, c = 0; i < end; i += inner, c++) sum += exps[c] = Math.exp(src[i] - max);
            for (let i = base, c = 0; i < end; i += inner, c++) o[i] = exps[c] / sum;
          } else {
            for (let i = base; i < end; i += inner) sum += Math.exp(src[i] - max);
            const log = Math.log(sum);
            for (let i = base; i < end; i += inner) o[i] = src[i] - max - log;
          }
        }
      }
      return [out];
    };
  };
}

/**
 * LpNormalization: x / ‖x‖ₚ along `axis` for p 1 or 2 (onnxruntime implements no other p). The norm is summed in
 * the tensor's precision, as onnxruntime does, so a float32 norm that underflows to 0 gives 0s, as there.
 */
function lpNormalization({ attrs }: NodeContext) {
  const p = attrs.int("p", 2);
  if (p !== 1 && p !== 2) throw new UnsupportedError(`LpNormalization with p=${p}`);
  const axisAttr = attrs.int("axis", -1);
  return ([x]: (Tensor | undefined)[]): Tensor[] => {
    const t = required(x, "LpNormalization");
    const src = floats(t, "LpNormalization");
    const round = t.type === "float32" ? Math.fround : (v: number) => v;
    const axis = normAxis(axisAttr, t.dims.length, "LpNormalization");
    const outer = size(t.dims.slice(0, axis));
    const n = t.dims[axis];
    const inner = size(t.dims.slice(axis + 1));
    const out = alloc(t.type, [...t.dims]);
    const o = out.data as NumericData;
    for (let b = 0; b < outer; b++) {
      for (let j = 0; j < inner; j++) {
        const base = b * n * inner + j;
        const end = base + n * inner;
        let norm = 0;
        for (let i = base; i < end; i += inner) {
          norm = round(norm + (p === 1 ? Math.abs(src[i]) : round(src[i] * src[i])));
        }
        if (p === 2) norm = round(Math.sqrt(norm));
        if (norm === 0) continue; // the output stays 0
        for (let i = base; i < end; i += inner) o[i] = src[i] / norm;
      }
    }
    return [out];
  };
}

/** CumSum along an axis (given as an input), running in the tensor's precision as onnxruntime does. */
function cumSum({ attrs }: NodeContext) {
  const exclusive = attrs.int("exclusive", 0) !== 0;
  const reverse = attrs.int("reverse", 0) !== 0;
  return ([x, axisIn]: (Tensor | undefined)[]): Tensor[] => {
    const t = required(x, "CumSum");
    if (!CUMSUM_TYPES.has(t.type)) throw new UnsupportedError(`CumSum on ${t.type} tensors`);
    const src = t.data as NumericData;
    const axes = intList(required(axisIn, "CumSum"), "CumSum axis");
    if (axes.length !== 1) throw new Error("CumSum: axis must hold one value");
    const axis = normAxis(axes[0], t.dims.length, "CumSum");
    const f32 = t.type === "float32";
    const outer = size(t.dims.slice(0, axis));
    const n = t.dims[axis];
    const inner = size(t.dims.slice(axis + 1));
    const out = alloc(t.type, [...t.dims]);
    const o = out.data as NumericData;
    const step = reverse ? -inner : inner;
    for (let b = 0; b < outer; b++) {
      for (let j = 0; j < inner; j++) {
        let i = b * n * inner + j + (reverse ? (n - 1) * inner : 0);
        let sum = 0;
        for (let c = 0; c < n; c++, i += step) {
          if (exclusive) o[i] = sum;
          sum = f32 ? Math.fround(sum + src[i]) : sum + src[i];
          if (!exclusive) o[i] = sum;
        }
      }
    }
    return [out];
  };
}

/** Up to this k, TopK keeps a sorted list by insertion (O(n·k), no allocation); above it, it sorts the line. */
const TOPK_INSERTION_MAX = 32;

/**
 * TopK: the k largest (or smallest) along an axis, sorted, equal values in index order as onnxruntime orders
 * them. Values are compared as key = sign·value, so "better" is always "greater key".
 */
function topK({ attrs, opset }: NodeContext) {
  const axisAttr = attrs.int("axis", -1);
  const sign = opset < 11 || attrs.int("largest", 1) !== 0 ? 1 : -1;
  if (opset >= 11 && attrs.int("sorted", 1) === 0) {
    throw new UnsupportedError("TopK with sorted=0 (the order is onnxruntime's own)");
  }
  const kAttr = opset < 10 ? attrs.int("k") : undefined;
  return ([x, kIn]: (Tensor | undefined)[]): Tensor[] => {
    const t = required(x, "TopK");
    if (t.type === "string" || t.type === "bool") throw new UnsupportedError(`TopK on ${t.type} tensors`);
    const src = t.data as NumericData;
    let k = kAttr;
    if (k === undefined) {
      const ks = intList(required(kIn, "TopK"), "TopK K");
      if (ks.length !== 1) throw new Error("TopK: K must hold one value");
      k = ks[0];
    }
    const axis = normAxis(axisAttr, t.dims.length, "TopK");
    const n = t.dims[axis];
    if (k < 0 || k > n) throw new Error(`TopK: k ${k} for an axis of ${n}`);
    const outer = size(t.dims.slice(0, axis));
    const inner = size(t.dims.slice(axis + 1));
    const dims = t.dims.map((d, i) => (i === axis ? k : d));
    const values = alloc(t.type, dims);
    const indices = alloc("int64", [...dims]);
    const vo = values.data as NumericData;
    const io = indices.data as Float64Array;
    const pick = k <= TOPK_INSERTION_MAX ? insertionTopK : sortedTopK;
    const keys = new Float64Array(n);
    const order = new Uint32Array(n);
    for (let b = 0; b < outer; b++) {
      for (let j = 0; j < inner; j++) {
        const base = b * n * inner + j;
        for (let i = 0; i < n; i++) {
          const v = src[base + i * inner];
          // onnxruntime's order around NaN follows its sort's internals, not a rule this engine can match.
          if (v !== v) throw new UnsupportedError("TopK over NaN values");
          keys[i] = sign * v;
        }
        pick(keys, n, k, order);
        const outBase = b * k * inner + j;
        for (let i = 0; i < k; i++) {
          vo[outBase + i * inner] = src[base + order[i] * inner];
          io[outBase + i * inner] = order[i];
        }
      }
    }
    return [values, indices];
  };
}

/** order[0..k) = the indices of the k greatest keys, greatest first, equal keys by index. */
function insertionTopK(keys: Float64Array, n: number, k: number, order: Uint32Array): void {
  if (k === 0) return;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (count === k && !(key > keys[order[k - 1]])) continue;
    // Later indices come later, so an equal key stays behind the ones already kept.
    let pos = count < k ? count++ : k - 1;
    while (pos > 0 && keys[order[pos - 1]] < key) {
      order[pos] = order[pos - 1];
      pos--;
    }
    order[pos] = i;
  }
}

/** As insertionTopK, by sorting every index. */
function sortedTopK(keys: Float64Array, n: number, _k: number, order: Uint32Array): void {
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((p, q) => (keys[p] > keys[q] ? -1 : keys[p] < keys[q] ? 1 : p - q));
}

export const CORE_LINALG_OPS: OpTable = {
  ...MATMUL_OPS,
  Softmax: knownAttributes(["axis"], alongAxis("softmax", "Softmax")),
  LogSoftmax: knownAttributes(["axis"], alongAxis("logsoftmax", "LogSoftmax")),
  Hardmax: knownAttributes(["axis"], alongAxis("hardmax", "Hardmax")),
  TopK: knownAttributes(["axis", "largest", "sorted", "k"], topK),
  LpNormalization: knownAttributes(["axis", "p"], lpNormalization),
  CumSum: knownAttributes(["exclusive", "reverse"], cumSum),
};
