// Float32 products X·Wᵀ (+ bias) summed as onnxruntime's MLAS sums them on x86-64, so linear and SVM scores
// match it bit for bit: several rows go through its FMA kernel (one fused multiply-add per feature, in
// order, then alpha and the bias in one rounding); a single row with alpha 1 goes through its M=1 kernel,
// which keeps eight lane sums of rounded products and adds them up in an order that depends on whether the
// output column falls in a block of 4, 2 or 1 columns.

const f = Math.fround;
const lanes = new Float64Array(8);

/**
 * out[r * n + j] = alpha * (x[r] · w[j]) + bias[j] (or + bias, one number for all), for x [m, k] and w [n, k]
 * (row-major), stored as float32.
 */
export function gemmTransB(
  x: Float32Array,
  m: number,
  k: number,
  w: Float32Array,
  n: number,
  alpha: number,
  bias: Float32Array | number,
  out: Float32Array,
): void {
  // One array either way keeps the loops below monomorphic.
  const b = typeof bias === "number" ? new Float32Array(n).fill(bias) : bias;
  if (m === 1 && alpha === 1) {
    const full = n - (n % 4);
    for (let j = 0; j < n; j++) {
      const block = j < full ? 4 : j < full + (n % 4 & 2) ? 2 : 1;
      out[j] = f(oneRowDot(x, w, j * k, k, block) + b[j]);
    }
    return;
  }
  let o = 0;
  for (let r = 0; r < m; r++) {
    const xo = r * k;
    for (let j = 0; j < n; j++) {
      const wo = j * k;
      let s = 0;
      for (let i = 0; i < k; i++) s = f(s + x[xo + i] * w[wo + i]);
      out[o++] = alpha * s + b[j];
    }
  }
}

/** MLAS's M=1 kernel for one output column: eight lanes of float32 sums, reduced as its `block` does. */
function oneRowDot(x: Float32Array, w: Float32Array, wo: number, k: number, block: number): number {
  lanes.fill(0);
  for (let i = 0; i < k; i++) lanes[i & 7] = f(lanes[i & 7] + f(x[i] * w[wo + i]));
  const l = lanes;
  if (block === 4) return f(f(f(f(l[0] + l[1]) + l[2]) + l[3]) + f(f(f(l[4] + l[5]) + l[6]) + l[7]));
  if (block === 2) return f(f(f(l[0] + l[2]) + f(l[4] + l[6])) + f(f(l[1] + l[3]) + f(l[5] + l[7])));
  return f(f(f(l[0] + l[1]) + f(l[2] + l[3])) + f(f(l[4] + l[5]) + f(l[6] + l[7])));
}
