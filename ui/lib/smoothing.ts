// Exponential moving average as TensorBoard and MLflow draw it: debiased so the first points are not
// pulled towards zero; gaps (null) stay gaps and do not reset the average.

export function ema(ys: ArrayLike<number | null>, weight: number): (number | null)[] {
  const out: (number | null)[] = new Array(ys.length);
  if (weight <= 0) {
    for (let i = 0; i < ys.length; i++) out[i] = ys[i];
    return out;
  }
  let last = 0;
  let n = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null || !Number.isFinite(y)) {
      out[i] = null;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

/** Mean and population standard deviation of the values at each position (nulls skipped). */
export function meanStd(
  columns: (number | null)[][],
  length: number,
): { mean: (number | null)[]; std: (number | null)[] } {
  const mean: (number | null)[] = new Array(length).fill(null);
  const std: (number | null)[] = new Array(length).fill(null);
  for (let i = 0; i < length; i++) {
    let s = 0, s2 = 0, n = 0;
    for (const col of columns) {
      const v = col[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      s += v;
      s2 += v * v;
      n++;
    }
    if (!n) continue;
    const m = s / n;
    mean[i] = m;
    std[i] = Math.sqrt(Math.max(0, s2 / n - m * m));
  }
  return { mean, std };
}
