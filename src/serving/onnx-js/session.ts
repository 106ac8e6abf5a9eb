// Runs a decoded ONNX graph with the engine's op kernels, node by node in topological order. Creating a
// session builds every kernel, so a model this engine cannot run fails at load (UnsupportedError naming
// every missing op), never at the first request.

import { decodeModel, type GraphNode, type OnnxGraph, type ValueInfo } from "./graph.ts";
import { opFactory } from "./ops/registry.ts";
import { Attrs, type Kernel } from "./ops/types.ts";
import { ONNX_ELEM_TYPES, type Tensor, UnsupportedError } from "./tensor.ts";

interface Step {
  node: GraphNode;
  kernel: Kernel;
}

export interface InputInfo {
  name: string;
  /** Element type ("float32", …) or "unknown" for non-tensor inputs. */
  type: string;
  shape?: (number | string | undefined)[];
}

/** A ZipMap graph output: the engine returns its probability tensor; the caller builds the label maps. */
export interface ZipMapInfo {
  output: string;
  labels: (number | string)[];
}

/** The class labels of a ZipMap node, int64 or strings. */
export function zipMapLabels(node: GraphNode): (number | string)[] {
  const attrs = new Attrs(node);
  const ints = attrs.ints("classlabels_int64s", []);
  return ints.length > 0 ? ints : attrs.strings("classlabels_strings", []);
}

export class JsSession {
  private constructor(
    private readonly graph: OnnxGraph,
    private readonly steps: Step[],
    readonly inputs: InputInfo[],
    readonly outputs: ValueInfo[],
    readonly zipmaps: ZipMapInfo[],
  ) {}

  static create(bytes: Uint8Array): JsSession {
    const graph = decodeModel(bytes);
    if (graph.functionCount > 0) throw new UnsupportedError("model-local functions");
    const nodes = topologicalOrder(graph);
    const missing = new Set<string>();
    const steps: Step[] = [];
    for (const node of nodes) {
      const domain = node.domain;
      const factory = opFactory(domain, node.opType);
      if (!factory) {
        missing.add(domain ? `${domain}:${node.opType}` : node.opType);
        continue;
      }
      const opset = graph.opsets.get(domain) ?? 1;
      steps.push({ node, kernel: factory({ node, opset, attrs: new Attrs(node) }) });
    }
    if (missing.size > 0) throw new UnsupportedError(`ops ${[...missing].join(", ")}`);
    const zipmaps: ZipMapInfo[] = [];
    for (const o of graph.outputs) {
      if (o.kind === "tensor") continue;
      const z = nodes.find((n) =>
        n.opType === "ZipMap" && n.domain === "ai.onnx.ml" && n.outputs[0] === o.name
      );
      if (!z) throw new UnsupportedError(`${o.kind} output ${o.name}`);
      zipmaps.push({ output: o.name, labels: zipMapLabels(z) });
    }
    const inputs = graph.inputs.map((i) => {
      if (i.kind !== "tensor") throw new UnsupportedError(`${i.kind} input ${i.name}`);
      // 0: the model does not say; the feed's own type is taken.
      const type = i.elemType === 0 ? "unknown" : ONNX_ELEM_TYPES[i.elemType];
      if (!type) throw new UnsupportedError(`input ${i.name} of element type ${i.elemType}`);
      return { name: i.name, type, shape: i.shape };
    });
    return new JsSession(graph, steps, inputs, graph.outputs, zipmaps);
  }

  /**
   * Elements of the constant weights that MatMul and Gemm nodes multiply by: a measure of how much dense
   * linear algebra a row costs (where ONNX Runtime's SIMD kernels are several times faster than JS).
   */
  denseWeights(): number {
    let n = 0;
    for (const { node } of this.steps) {
      if (node.domain !== "" || (node.opType !== "MatMul" && node.opType !== "Gemm")) continue;
      for (const name of node.inputs.slice(0, 2)) {
        const t = this.graph.initializers.get(name);
        if (t) n += t.data.length;
      }
    }
    return n;
  }

  /** Runs the graph on named inputs; returns every graph output by name. */
  run(feeds: Record<string, Tensor>): Record<string, Tensor> {
    const values = new Map<string, Tensor>(this.graph.initializers);
    for (const info of this.inputs) {
      const t = feeds[info.name];
      if (!t) throw new Error(`input '${info.name}' is missing from the feeds`);
      checkFeed(info, t);
      values.set(info.name, t);
    }
    for (const { node, kernel } of this.steps) {
      const args = node.inputs.map((name) => {
        if (name === "") return undefined;
        const v = values.get(name);
        if (!v) throw new Error(`${node.opType} node '${node.name}' reads '${name}', which nothing produced`);
        return v;
      });
      let results: Tensor[];
      try {
        results = kernel(args);
      } catch (e) {
        if (e instanceof UnsupportedError) throw e;
        throw new Error(`${node.opType} node '${node.name}': ${(e as Error).message}`);
      }
      node.outputs.forEach((name, i) => {
        if (name !== "" && results[i]) values.set(name, results[i]);
      });
    }
    const out: Record<string, Tensor> = {};
    for (const o of this.outputs) {
      const v = values.get(o.name);
      if (!v) throw new Error(`the graph did not produce its output '${o.name}'`);
      out[o.name] = v;
    }
    return out;
  }
}

/** ONNX Runtime's checks on a fed tensor: element type, rank, and every fixed dimension. */
function checkFeed(info: InputInfo, t: Tensor): void {
  if (info.type !== "unknown" && t.type !== info.type) {
    throw new Error(
      `Unexpected input data type. Actual: (tensor(${t.type})) , expected: (tensor(${info.type})) for input ${info.name}`,
    );
  }
  const shape = info.shape;
  if (!shape) return;
  if (shape.length !== t.dims.length) {
    throw new Error(
      `Invalid rank for input: ${info.name} Got: ${t.dims.length} Expected: ${shape.length} Please fix either the inputs/outputs or the model.`,
    );
  }
  const bad: string[] = [];
  shape.forEach((d, i) => {
    if (typeof d === "number" && d !== t.dims[i]) bad.push(` index: ${i} Got: ${t.dims[i]} Expected: ${d}`);
  });
  if (bad.length > 0) {
    throw new Error(
      `Got invalid dimensions for input: ${info.name} for the following indices\n${
        bad.join("\n")
      }\n Please fix either the inputs/outputs or the model.`,
    );
  }
}

/** The graph's nodes ordered so that each runs after what it reads (ONNX requires it; some exporters slip). */
function topologicalOrder(graph: OnnxGraph): GraphNode[] {
  const known = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((i) => i.name), ""]);
  const ready = (n: GraphNode) => n.inputs.every((i) => known.has(i));
  if (
    graph.nodes.every((n) => {
      const ok = ready(n);
      n.outputs.forEach((o) => known.add(o));
      return ok;
    })
  ) return graph.nodes;
  known.clear();
  for (const k of [...graph.initializers.keys(), ...graph.inputs.map((i) => i.name), ""]) known.add(k);
  const pending = [...graph.nodes];
  const ordered: GraphNode[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex(ready);
    if (i < 0) {
      throw new Error(`node '${pending[0].name}' reads a value no node produces (or the graph has a cycle)`);
    }
    const [n] = pending.splice(i, 1);
    n.outputs.forEach((o) => known.add(o));
    ordered.push(n);
  }
  return ordered;
}
