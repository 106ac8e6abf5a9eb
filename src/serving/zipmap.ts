// skl2onnx ends classifiers with a ZipMap node (probabilities as a sequence of {label: p} maps). The JS
// builds of ONNX Runtime cannot return non-tensor values, so the graph is rewritten to output ZipMap's input
// tensor and the maps are rebuilt here, giving the same per-row dictionaries onnxruntime gives Python.

import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export interface ZipMapOutput {
  /** The graph output the ZipMap produced. */
  output: string;
  /** The [N, C] float tensor that fed it, now a graph output. */
  source: string;
  labels: (number | bigint | string)[];
}

export interface RewrittenModel {
  bytes: Uint8Array;
  zipmaps: ZipMapOutput[];
}

function labelOf(v: unknown): number | bigint {
  const big = BigInt(String(v));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Removes ZipMap nodes that produce graph outputs; undefined when the model has none. */
export function stripZipMaps(model: Uint8Array): RewrittenModel | undefined {
  const m = onnx.ModelProto.decode(model);
  const graph = m.graph;
  if (!graph?.node || !graph.output) return undefined;
  const outputs = new Set(graph.output.map((o) => o.name));
  const zipmaps: ZipMapOutput[] = [];
  const keep = graph.node.filter((n) => {
    if (n.opType !== "ZipMap" || !n.output?.[0] || !outputs.has(n.output[0]) || !n.input?.[0]) return true;
    const ints = n.attribute?.find((a) => a.name === "classlabels_int64s")?.ints ?? [];
    const strings = n.attribute?.find((a) => a.name === "classlabels_strings")?.strings ?? [];
    const labels = ints.length > 0
      ? ints.map(labelOf)
      : strings.map((s) => new TextDecoder().decode(s as Uint8Array));
    zipmaps.push({ output: n.output[0], source: n.input[0], labels });
    return false;
  });
  if (zipmaps.length === 0) return undefined;
  graph.node = keep;
  graph.output = graph.output.map((o) => {
    const z = zipmaps.find((z) => z.output === o.name);
    if (!z) return o;
    return onnx.ValueInfoProto.create({
      name: z.source,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: "N" }, { dimValue: z.labels.length }] },
        },
      },
    });
  });
  return { bytes: onnx.ModelProto.encode(m).finish(), zipmaps };
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
