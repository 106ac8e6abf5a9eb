// ai.onnx matrix products and ops along one axis: MatMul, Gemm, Softmax, LogSoftmax, Hardmax, LpNormalization,
// CumSum, TopK.
// float32 products follow onnxruntime's summation order (see F32_BLOCK_K); other types sum in double.

import { alloc, type NumericData, size, strides, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { broadcastShape } from "./broadcast.ts";
import { broadcastStrides, intList, normAxis } from "./shape.ts";
import type { NodeContext, OpTable } from "./types.ts";

const MATMUL_TYPES = new Set(["float32", "float64", "int32", "int64", "uint32", "uint64"]);
const FLOAT_TYPES = new Set(["float32", "float64"]);

function floats(t: Tensor, op: string): NumericData {
  if (!FLOAT_TYPES.has(t.type)) throw new UnsupportedError(`${op} on ${t.type} tensors`);
  return t.data as NumericData;
}

/** The values as doubles: products then run on one array type, which keeps V8's loops monomorphic. */
function doubles(data: NumericData): Float64Array {
  return data instanceof Float64Array ? data : new Float64Array(data);
}

/** A row-major [cols, rows] copy of the row-major [rows, cols] matrix `d`, as doubles. */
function transposed(d: NumericData, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = d[r * cols + c];
  }
  return out;
}

/**
 * onnxruntime's float32 GEMM (MLAS, with B packed once as it is for a weight initializer) sums K in blocks of
 * 256: within a block a chain of float32 fused multiply-adds in k order, then each block's sum is added into
 * the output in float32. Matching that order gives its results bit for bit (checked against onnxruntime 1.31
 * for MatMul and Gemm, K from 4 to 5000); summing in double instead drifts past 1e-5 once K reaches a few
 * hundred, and flips results that cancel (KMeans distances).
 */
const F32_BLOCK_K = 256;

/**
 * acc[i·n + j] = Σ_{p<k} A[i, p]·B[p, j] in float32 steps, A at a[aOff + i·lda + p] and B at b[bOff + p·n + j].
 * Wide B runs i-k-j over four rows of A at a time (contiguous inner reads, each B value used four times);
 * narrow B (a column or a few) runs dot products, whose i-k-j inner loop would be a handful of iterations.
 */
function productF32(
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  acc: Float64Array,
): void {
  const f = Math.fround;
  if (n < 8) {
    for (let i = 0; i < m; i++) {
      const aRow = aOff + i * lda;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, q = bOff + j; p < k; p++, q += n) s = f(s + a[aRow + p] * b[q]);
        acc[i * n + j] = s;
      }
    }
    return;
  }
  acc.fill(0, 0, m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const q0 = aOff + i * lda, q1 = q0 + lda, q2 = q1 + lda, q3 = q2 + lda;
    for (let p = 0; p < k; p++) {
      const a0 = a[q0 + p], a1 = a[q1 + p], a2 = a[q2 + p], a3 = a[q3 + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bRow + j];
        acc[r0 + j] = f(acc[r0 + j] + a0 * bv);
        acc[r1 + j] = f(acc[r1 + j] + a1 * bv);
        acc[r2 + j] = f(acc[r2 + j] + a2 * bv);
        acc[r3 + j] = f(acc[r3 + j] + a3 * bv);
      }
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * lda + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) acc[row + j] = f(acc[row + j] + av * b[bRow + j]);
    }
  }
}

/** acc = A·B summed in double (float64 and integer types, exact for integers below 2^53). */
function productF64(
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  acc: Float64Array,
): void {
  acc.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * k + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) acc[row + j] += av * b[bRow + j];
    }
  }
}

/**
 * y += alpha · A[m, k]·B[k, n] for row-major A at aOff and B at bOff; float32 in onnxruntime's blocks and
 * steps (see F32_BLOCK_K), other types in double. `blk` is scratch of m·n.
 */
function addProduct(
  f32: boolean,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  alpha: number,
  y: Float64Array,
  blk: Float64Array,
): void {
  const mn = m * n;
  if (!f32) {
    productF64(a, aOff, b, bOff, m, k, n, blk);
    for (let i = 0; i < mn; i++) y[i] += alpha * blk[i];
    return;
  }
  for (let p0 = 0; p0 < k; p0 += F32_BLOCK_K) {
    productF32(a, aOff + p0, k, b, bOff + p0 * n, m, Math.min(F32_BLOCK_K, k - p0), n, blk);
    for (let i = 0; i < mn; i++) y[i] = Math.fround(y[i] + alpha * blk[i]);
  }
}

/** numpy matmul: 1-D operands are promoted to a row (A) or column (B), leading dimensions broadcast. */
function matmul(x: Tensor, y: Tensor): Tensor {
  if (x.type !== y.type) throw new Error(`MatMul: inputs of types ${x.type} and ${y.type}`);
  if (!MATMUL_TYPES.has(x.type)) throw new UnsupportedError(`MatMul on ${x.type} tensors`);
  if (x.dims.length === 0 || y.dims.length === 0) throw new Error("MatMul: scalar input");
  const aDims = x.dims.length === 1 ? [1, x.dims[0]] : x.dims;
  const bDims = y.dims.length === 1 ? [y.dims[0], 1] : y.dims;
  const m = aDims[aDims.length - 2];
  const k = aDims[aDims.length - 1];
  const n = bDims[bDims.length - 1];
  if (bDims[bDims.length - 2] !== k) {
    throw new Error(`MatMul: shapes [${x.dims}] and [${y.dims}] do not match`);
  }
  const aBatch = aDims.slice(0, -2);
  const bBatch = bDims.slice(0, -2);
  const batch = broadcastShape("MatMul", [aBatch, bBatch]);
  const dims = [...batch];
  if (x.dims.length > 1) dims.push(m);
  if (y.dims.length > 1) dims.push(n);
  const out = alloc(x.type, dims);
  const o = out.data as NumericData;
  const a = doubles(x.data as NumericData);
  const b = doubles(y.data as NumericData);
  const aStrides = broadcastStrides(aBatch, batch);
  const bStrides = broadcastStrides(bBatch, batch);
  const batchStrides = strides(batch);
  const f32 = x.type === "float32";
  const mn = m * n;
  const acc = new Float64Array(mn);
  const blk = new Float64Array(mn);
  const count = size(batch);
  for (let t = 0; t < count; t++) {
    let aOff = 0;
    let bOff = 0;
    for (let d = 0, rest = t; d < batch.length; d++) {
      const i = Math.floor(rest / batchStrides[d]);
      rest -= i * batchStrides[d];
      aOff += i * aStrides[d];
      bOff += i * bStrides[d];
    }
    acc.fill(0);
    addProduct(f32, a, aOff * m * k, b, bOff * k * n, m, k, n, 1, acc, blk);
    // A loop, not o.set(acc): V8's set between typed arrays of different types is several times slower.
    for (let i = 0, j = t * mn; i < mn; i++, j++) o[j] = acc[i];
  }
  return out;
}

function gemm(ctx: NodeContext) {
  const { attrs, opset } = ctx;
  if (opset < 7) throw new UnsupportedError("Gemm before opset 7 (broadcast attribute)");
  const alpha = attrs.float("alpha", 1);
  const beta = attrs.float("beta", 1);
  const transA = attrs.int("transA", 0) !== 0;
  const transB = attrs.int("transB", 0) !== 0;
  return ([x, y, c]: (Tensor | undefined)[]): Tensor[] => {
    const ta = required(x, "Gemm");
    const tb = required(y, "Gemm");
    if (ta.type !== tb.type || (c && c.type !== ta.type)) throw new Error("Gemm: inputs of different types");
    const a = floats(ta, "Gemm");
    const b = floats(tb, "Gemm");
    if (ta.dims.length !== 2 || tb.dims.length !== 2) throw new Error("Gemm: A and B must be 2-D");
    const [m, k] = transA ? [ta.dims[1], ta.dims[0]] : ta.dims;
    const [k2, n] = transB ? [tb.dims[1], tb.dims[0]] : tb.dims;
    if (k !== k2) throw new Error(`Gemm: shapes [${ta.dims}] and [${tb.dims}] do not match`);
    const f32 = ta.type === "float32";
    const acc = new Float64Array(m * n);
    if (c && beta !== 0) {
      // onnxruntime first writes beta·C (rounded to the type) into the output, then adds the product.
      const cd = c.data as NumericData;
      const full = broadcastShape("Gemm", [c.dims, [m, n]]);
      if (full.length !== 2 || full[0] !== m || full[1] !== n) {
        throw new Error(`Gemm: C of shape [${c.dims}] for output [${m}, ${n}]`);
      }
      const [rs, cs] = broadcastStrides(c.dims, [m, n]);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const v = beta * cd[i * rs + j * cs];
          acc[i * n + j] = f32 ? Math.fround(v) : v;
        }
      }
    }
    const ar = transA ? transposed(a, k, m) : doubles(a);
    const br = transB ? transposed(b, n, k) : doubles(b);
    addProduct(f32, ar, 0, br, 0, m, k, n, alpha, acc, new Float64Array(m * n));
    const out = alloc(ta.type, [m, n]);
    const o = out.data as NumericData;
    for (let i = 0; i < m * n; i++) o[i] = acc[i];
    return [out];
  };
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
          for (let i = base; i < end; i += inner) sum += Math.exp(src[i] - max);
          if (kind === "softmax") {
            for (let i = base; i < end; i += inner) o[i] = Math.exp(src[i] - max) / sum;
          } else {
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
    if (!MATMUL_TYPES.has(t.type)) throw new UnsupportedError(`CumSum on ${t.type} tensors`);
    const src = t.data as NumericData;
    const axes = intList(required(axisIn, "CumSum"), "CumSum axis");
    if (axes.length !== 1) throw new Error("CumSum: axis must hold one value");
    const axis = normAxis(axes[0], t.dims.length, "CumSum");
    const round = t.type === "float32" ? Math.fround : (v: number) => v;
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
          if (exclusive) {
            o[i] = sum;
            sum = round(sum + src[i]);
          } else {
            sum = round(sum + src[i]);
            o[i] = sum;
          }
        }
      }
    }
    return [out];
  };
}

/** TopK: the k largest (or smallest) along an axis, sorted, equal values in index order as ONNX Runtime. */
function topK({ attrs, opset }: NodeContext) {
  const axisAttr = attrs.int("axis", -1);
  const largest = opset < 11 || attrs.int("largest", 1) !== 0;
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
    const line = new Float64Array(n);
    const order = new Uint32Array(n);
    const cmp = largest
      ? (p: number, q: number) => (line[p] > line[q] ? -1 : line[p] < line[q] ? 1 : p - q)
      : (p: number, q: number) => (line[p] < line[q] ? -1 : line[p] > line[q] ? 1 : p - q);
    for (let b = 0; b < outer; b++) {
      for (let j = 0; j < inner; j++) {
        const base = b * n * inner + j;
        for (let i = 0; i < n; i++) {
          const v = src[base + i * inner];
          // onnxruntime's order around NaN follows its sort's internals, not a rule this engine can match.
          if (v !== v) throw new UnsupportedError("TopK over NaN values");
          line[i] = v;
          order[i] = i;
        }
        order.sort(cmp);
        const outBase = b * k * inner + j;
        for (let i = 0; i < k; i++) {
          vo[outBase + i * inner] = line[order[i]];
          io[outBase + i * inner] = order[i];
        }
      }
    }
    return [values, indices];
  };
}

export const CORE_LINALG_OPS: OpTable = {
  MatMul: () => ([x, y]) => [matmul(required(x, "MatMul"), required(y, "MatMul"))],
  Gemm: gemm,
  Softmax: alongAxis("softmax", "Softmax"),
  LogSoftmax: alongAxis("logsoftmax", "LogSoftmax"),
  Hardmax: alongAxis("hardmax", "Hardmax"),
  TopK: topK,
  LpNormalization: lpNormalization,
  CumSum: cumSum,
};
