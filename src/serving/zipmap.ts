// skl2onnx ends classifiers with a ZipMap node (probabilities as a sequence of {label: p} maps). The JS
// builds of ONNX Runtime cannot return non-tensor values, so the graph is rewritten to output ZipMap's input
// tensor and the maps are rebuilt (zipmap-rows.ts), giving the same per-row dictionaries onnxruntime gives
// Python. The rewrite splices the protobuf bytes: the model is never decoded and encoded as a whole.

import { decodeNode, type GraphNode } from "./onnx-js/graph.ts";
import { zipMapLabels } from "./onnx-js/session.ts";
import { concatBytes } from "../client/bytes.ts";
import { encodeVarint, fieldRanges, lengthDelimited, ProtoReader } from "./onnx-js/proto.ts";
import type { ZipMapOutput } from "./zipmap-rows.ts";

export interface RewrittenModel {
  bytes: Uint8Array;
  zipmaps: ZipMapOutput[];
}

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const ENC = new TextEncoder();

/** Removes ZipMap nodes that produce graph outputs; undefined when the model has none. */
export function stripZipMaps(model: Uint8Array): RewrittenModel | undefined {
  const top = fieldRanges(model);
  const graphField = top.findLast((f) => f.field === MODEL_GRAPH && f.wire === 2);
  if (!graphField) return undefined;
  const outer = new ProtoReader(model, graphField.start);
  outer.tag();
  const graph = outer.bytes();
  const fields = fieldRanges(graph);
  const outputNames = new Map<number, string>();
  for (const f of fields) {
    if (f.field === GRAPH_OUTPUT && f.wire === 2) outputNames.set(f.start, valueInfoName(graph, f.start));
  }
  const graphOutputs = new Set(outputNames.values());
  const zipmaps: ZipMapOutput[] = [];
  const dropped = new Set<number>();
  for (const f of fields) {
    if (f.field !== GRAPH_NODE || f.wire !== 2) continue;
    const r = new ProtoReader(graph, f.start);
    r.tag();
    const node = decodeNode(r.message());
    const z = zipMapOutput(node, graphOutputs);
    if (!z) continue;
    zipmaps.push(z);
    dropped.add(f.start);
  }
  if (zipmaps.length === 0) return undefined;
  const parts = fields.map((f) => {
    if (dropped.has(f.start)) return new Uint8Array();
    const z = zipmaps.find((z) => z.output === outputNames.get(f.start));
    return z ? lengthDelimited(GRAPH_OUTPUT, probabilityInfo(z)) : graph.subarray(f.start, f.end);
  });
  const newGraph = lengthDelimited(MODEL_GRAPH, concatBytes(parts));
  return {
    bytes: concatBytes([model.subarray(0, graphField.start), newGraph, model.subarray(graphField.end)]),
    zipmaps,
  };
}

function zipMapOutput(node: GraphNode, graphOutputs: Set<string>): ZipMapOutput | undefined {
  const out = node.outputs[0];
  if (node.opType !== "ZipMap" || !out || !graphOutputs.has(out) || !node.inputs[0]) return undefined;
  return { output: out, source: node.inputs[0], labels: zipMapLabels(node) };
}

function valueInfoName(graph: Uint8Array, start: number): string {
  const r = new ProtoReader(graph, start);
  r.tag();
  const m = r.message();
  for (let t = m.tag(); t; t = m.tag()) {
    if (t.field === 1 && t.wire === 2) return m.string();
    m.skip(t.wire);
  }
  return "";
}

/** ValueInfoProto of the [N, C] float tensor that replaces a ZipMap output. */
function probabilityInfo(z: ZipMapOutput): Uint8Array {
  const dimN = lengthDelimited(1, lengthDelimited(2, ENC.encode("N")));
  const dimC = lengthDelimited(1, new Uint8Array([0x08, ...encodeVarint(z.labels.length)]));
  const shape = lengthDelimited(2, concatBytes([dimN, dimC]));
  const tensorType = lengthDelimited(1, concatBytes([new Uint8Array([0x08, 1]), shape])); // elem_type FLOAT
  return concatBytes([lengthDelimited(1, ENC.encode(z.source)), lengthDelimited(2, tensorType)]);
}
