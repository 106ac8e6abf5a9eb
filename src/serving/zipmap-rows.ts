// The per-row `{label: probability}` maps a ZipMap node returns, rebuilt from its probability tensor.

export interface ZipMapOutput {
  /** The graph output the ZipMap produced. */
  output: string;
  /** The [N, C] float tensor that fed it, returned in its place. */
  source: string;
  labels: (number | bigint | string)[];
}

/** One `{label: probability}` map per row, as onnxruntime returns ZipMap's output. */
export function zipRows(probs: ArrayLike<number>, labels: ZipMapOutput["labels"]): Record<string, number>[] {
  const c = labels.length;
  const rows: Record<string, number>[] = [];
  for (let r = 0; r * c < probs.length; r++) {
    const row: Record<string, number> = {};
    for (let k = 0; k < c; k++) row[String(labels[k])] = probs[r * c + k];
    rows.push(row);
  }
  return rows;
}
