// ai.onnx MatMul and Gemm. float32 products reproduce onnxruntime's summation order (see F32_BLOCK_K); other
// types sum in double (exact for integers below 2^53).

import { alloc, type NumericData, size, strides, type Tensor, UnsupportedError } from "../tensor.ts";
import { broadcastShape } from "./broadcast.ts";
import { required } from "./misc.ts";
import { knownAttributes } from "./args.ts";
import { broadcastStrides } from "./strided.ts";
import type { NodeContext, OpTable } from "./types.ts";

const MATMUL_TYPES = new Set(["float32", "float64", "int32", "int64", "uint32", "uint64"]);

/**
 * onnxruntime's float32 GEMM (MLAS, with B packed once as it is for a weight initializer) sums K in blocks of
 * 256: within a block a chain of float32 fused multiply-adds in k order, then each block's sum is added into
 * the output in float32. Following that order gives its results bit for bit (checked against onnxruntime 1.31
 * for MatMul and Gemm, K from 4 to 5000); summing in double instead drifts past 1e-5 once K reaches a few
 * hundred, and flips results that cancel (KMeans distances). With B fed at run time onnxruntime takes other
 * paths for a single row or column; results then agree to rounding only.
 */
const F32_BLOCK_K = 256;

/**
 * acc[accOff + i·n + j] = Σ_{p<k} A[i, p]·B[p, j] in float32 steps, A at a[aOff + i·lda + p] and B at
 * b[bOff + p·n + j]. Storing into a Float32Array rounds each step, as a float32 fused multiply-add does (the
 * product of two float32 values is exact in double). Wide B runs i-k-j over four rows of A at a time
 * (contiguous inner reads, each B value used four times); narrow B (a column or a few) runs dot products,
 * whose i-k-j inner loop would be a handful of iterations.
 */
function productF32(
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  acc: Float32Array,
  accOff: number,
): void {
  if (n < 8) {
    // Four rows' chains side by side: each chain is a serial dependency, four keep the core busy.
    const f = Math.fround;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const q0 = aOff + i * lda, q1 = q0 + lda, q2 = q1 + lda, q3 = q2 + lda;
      for (let j = 0; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0, q = bOff + j; p < k; p++, q += n) {
          const bv = b[q];
          s0 = f(s0 + a[q0 + p] * bv);
          s1 = f(s1 + a[q1 + p] * bv);
          s2 = f(s2 + a[q2 + p] * bv);
          s3 = f(s3 + a[q3 + p] * bv);
        }
        const o = accOff + i * n + j;
        acc[o] = s0;
        acc[o + n] = s1;
        acc[o + 2 * n] = s2;
        acc[o + 3 * n] = s3;
      }
    }
    for (; i < m; i++) {
      const aRow = aOff + i * lda;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, q = bOff + j; p < k; p++, q += n) s = f(s + a[aRow + p] * b[q]);
        acc[accOff + i * n + j] = s;
      }
    }
    return;
  }
  acc.fill(0, accOff, accOff + m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = accOff + i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const q0 = aOff + i * lda, q1 = q0 + lda, q2 = q1 + lda, q3 = q2 + lda;
    for (let p = 0; p < k; p++) {
      const a0 = a[q0 + p], a1 = a[q1 + p], a2 = a[q2 + p], a3 = a[q3 + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bRow + j];
        acc[r0 + j] += a0 * bv;
        acc[r1 + j] += a1 * bv;
        acc[r2 + j] += a2 * bv;
        acc[r3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const row = accOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * lda + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) acc[row + j] += av * b[bRow + j];
    }
  }
}

/** acc[accOff + i·n + j] = Σ_p A[i, p]·B[p, j] summed in double, for row-major A [m, k] and B [k, n]. */
function productF64(
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  acc: Float64Array,
  accOff: number,
): void {
  acc.fill(0, accOff, accOff + m * n);
  for (let i = 0; i < m; i++) {
    const row = accOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * k + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) acc[row + j] += av * b[bRow + j];
    }
  }
}

/**
 * out[outOff ..] += alpha · A·B for float32 A [m, k] (row stride k) and B [k, n], block by block as onnxruntime
 * adds them. When `out` holds nothing yet (`fresh`), alpha is 1 and K fits one block, the product is written
 * straight into it.
 */
function addProductF32(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  alpha: number,
  out: Float32Array,
  outOff: number,
  fresh: boolean,
): void {
  if (fresh && alpha === 1 && k <= F32_BLOCK_K) {
    productF32(a, aOff, k, b, bOff, m, k, n, out, outOff);
    return;
  }
  const mn = m * n;
  const blk = new Float32Array(mn);
  for (let p0 = 0; p0 < k; p0 += F32_BLOCK_K) {
    productF32(a, aOff + p0, k, b, bOff + p0 * n, m, Math.min(F32_BLOCK_K, k - p0), n, blk, 0);
    for (let i = 0; i < mn; i++) out[outOff + i] += alpha * blk[i];
  }
}

/** The values as doubles: double products then run on one array type, which keeps V8's loops monomorphic. */
function doubles(data: NumericData): Float64Array {
  return data instanceof Float64Array ? data : new Float64Array(data);
}

/**
 * The transpose of the last matrix it was given, kept while the same data comes again: a Gemm's weights are an
 * initializer, transposed once instead of on every request. Tensors are never written after they are made.
 */
class TransposeCache<T extends Float32Array | Float64Array> {
  private source?: NumericData;
  private rows = 0;
  private result?: T;

  constructor(private readonly make: (n: number) => T) {}

  get(d: NumericData, rows: number, cols: number): T {
    // Reshape shares data, so the same array can come with other dimensions.
    if (this.source !== d || this.rows !== rows || !this.result || this.result.length !== d.length) {
      this.result = transposeInto(d, rows, cols, this.make(rows * cols));
      this.source = d;
      this.rows = rows;
    }
    return this.result;
  }
}

/** `out` filled with the row-major [cols, rows] transpose of the row-major [rows, cols] matrix `d`. */
function transposeInto<T extends Float32Array | Float64Array>(
  d: NumericData,
  rows: number,
  cols: number,
  out: T,
): T {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = d[r * cols + c];
  }
  return out;
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
  const aStrides = broadcastStrides(aBatch, batch);
  const bStrides = broadcastStrides(bBatch, batch);
  const batchStrides = strides(batch);
  const mn = m * n;
  const f32 = x.type === "float32";
  const a = f32 ? x.data : doubles(x.data as NumericData);
  const b = f32 ? y.data : doubles(y.data as NumericData);
  const o = out.data as NumericData;
  // Double sums of types other than float64/int64 go through a scratch row block, then into the output type.
  const acc = f32 || o instanceof Float64Array ? undefined : new Float64Array(mn);
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
    if (f32) {
      addProductF32(
        a as Float32Array,
        aOff * m * k,
        b as Float32Array,
        bOff * k * n,
        m,
        k,
        n,
        1,
        o as Float32Array,
        t * mn,
        true,
      );
    } else if (!acc) {
      productF64(
        a as Float64Array,
        aOff * m * k,
        b as Float64Array,
        bOff * k * n,
        m,
        k,
        n,
        o as Float64Array,
        t * mn,
      );
    } else {
      productF64(a as Float64Array, aOff * m * k, b as Float64Array, bOff * k * n, m, k, n, acc, 0);
      for (let i = 0; i < mn; i++) o[t * mn + i] = acc[i];
    }
  }
  return out;
}

function gemm({ attrs, opset }: NodeContext) {
  if (opset < 7) throw new UnsupportedError("Gemm before opset 7 (broadcast attribute)");
  const alpha = attrs.float("alpha", 1);
  const beta = attrs.float("beta", 1);
  const transA = attrs.int("transA", 0) !== 0;
  const transB = attrs.int("transB", 0) !== 0;
  const f32A = new TransposeCache((n) => new Float32Array(n));
  const f32B = new TransposeCache((n) => new Float32Array(n));
  const f64A = new TransposeCache((n) => new Float64Array(n));
  const f64B = new TransposeCache((n) => new Float64Array(n));
  return ([x, y, c]: (Tensor | undefined)[]): Tensor[] => {
    const ta = required(x, "Gemm");
    const tb = required(y, "Gemm");
    if (ta.type !== tb.type || (c && c.type !== ta.type)) throw new Error("Gemm: inputs of different types");
    if (ta.type !== "float32" && ta.type !== "float64") {
      throw new UnsupportedError(`Gemm on ${ta.type} tensors`);
    }
    if (ta.dims.length !== 2 || tb.dims.length !== 2) throw new Error("Gemm: A and B must be 2-D");
    const [m, k] = transA ? [ta.dims[1], ta.dims[0]] : ta.dims;
    const [k2, n] = transB ? [tb.dims[1], tb.dims[0]] : tb.dims;
    if (k !== k2) throw new Error(`Gemm: shapes [${ta.dims}] and [${tb.dims}] do not match`);
    const out = alloc(ta.type, [m, n]);
    const o = out.data as Float32Array | Float64Array;
    const withC = c !== undefined && beta !== 0;
    if (withC) {
      // onnxruntime first writes beta·C (rounded to the type) into the output, then adds the product.
      const cd = c.data as NumericData;
      const full = broadcastShape("Gemm", [c.dims, [m, n]]);
      if (full.length !== 2 || full[0] !== m || full[1] !== n) {
        throw new Error(`Gemm: C of shape [${c.dims}] for output [${m}, ${n}]`);
      }
      const [rs, cs] = broadcastStrides(c.dims, [m, n]);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) o[i * n + j] = beta * cd[i * rs + j * cs];
      }
    }
    const ad = ta.data as NumericData;
    const bd = tb.data as NumericData;
    if (o instanceof Float32Array) {
      const ar = transA ? f32A.get(ad, k, m) : ad as Float32Array;
      const br = transB ? f32B.get(bd, n, k) : bd as Float32Array;
      addProductF32(ar, 0, br, 0, m, k, n, alpha, o, 0, !withC);
    } else {
      const ar = transA ? f64A.get(ad, k, m) : doubles(ad);
      const br = transB ? f64B.get(bd, n, k) : doubles(bd);
      const acc = new Float64Array(m * n);
      productF64(ar, 0, br, 0, m, k, n, acc, 0);
      for (let i = 0; i < m * n; i++) o[i] += alpha * acc[i];
    }
    return [out];
  };
}

export const MATMUL_OPS: OpTable = {
  MatMul: knownAttributes([], () => ([x, y]) => [matmul(required(x, "MatMul"), required(y, "MatMul"))]),
  Gemm: knownAttributes(["alpha", "beta", "transA", "transB", "broadcast"], gemm),
};
