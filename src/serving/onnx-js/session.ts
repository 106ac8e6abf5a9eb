// Runs a decoded ONNX graph with the engine's op kernels, node by node in topological order. Creating a
// session builds every kernel, so a model this engine cannot run fails at load (UnsupportedError naming
// every missing op), never at the first request. A subgraph (Scan's body) is built the same way, once, at
// load; it runs on the inputs its op feeds it and reads any other name from the graphs enclosing it.

import { decodeModel, type GraphNode, type OnnxGraph, type Subgraph, type ValueInfo } from "./graph.ts";
import { opFactory } from "./ops/registry.ts";
import { Attrs, type GraphRunner, type Kernel, type Scope } from "./ops/types.ts";
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

/** See JsSession.workload. */
export interface Workload {
  denseWeights: number;
  scanSteps: number;
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
    private readonly main: CompiledGraph,
    readonly inputs: InputInfo[],
    readonly outputs: ValueInfo[],
    readonly zipmaps: ZipMapInfo[],
  ) {}

  static create(bytes: Uint8Array): JsSession {
    const graph = decodeModel(bytes);
    if (graph.functionCount > 0) throw new UnsupportedError("model-local functions");
    const missing = new Set<string>();
    const main = compile(graph, graph.opsets, new Set(), missing);
    if (missing.size > 0) throw new UnsupportedError(`ops ${[...missing].join(", ")}`);
    const zipmaps: ZipMapInfo[] = [];
    for (const o of graph.outputs) {
      if (o.kind === "tensor") continue;
      const z = graph.nodes.find((n) =>
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
    return new JsSession(graph, main, inputs, graph.outputs, zipmaps);
  }

  /**
   * What a request costs beyond its rows, from the constants: `denseWeights`, the elements of the weights
   * MatMul and Gemm nodes multiply by (dense linear algebra, where ONNX Runtime's SIMD kernels are several
   * times faster than JS); `scanSteps`, the iterations of Scan nodes over constant inputs (skl2onnx's KNN
   * scans its training rows; each runs the body's ops once, whatever the request's size).
   */
  workload(): Workload {
    let denseWeights = 0;
    let scanSteps = 0;
    const constant = (name: string) => this.graph.initializers.get(name);
    for (const { node } of this.main.steps) {
      if (node.domain !== "") continue;
      if (node.opType === "MatMul" || node.opType === "Gemm") {
        for (const name of node.inputs.slice(0, 2)) denseWeights += constant(name)?.data.length ?? 0;
      } else if (node.opType === "Scan") {
        const attrs = new Attrs(node);
        const m = attrs.int("num_scan_inputs", 0);
        const axes = attrs.ints("scan_input_axes", []);
        node.inputs.slice(node.inputs.length - m).forEach((name, i) => {
          const dims = constant(name)?.dims ?? [];
          const axis = axes[i] ?? 0;
          scanSteps += dims[axis < 0 ? axis + dims.length : axis] ?? 0;
        });
      }
    }
    return { denseWeights, scanSteps };
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
    runSteps(this.main.steps, values, values);
    const out: Record<string, Tensor> = {};
    for (const o of this.outputs) {
      const v = values.get(o.name);
      if (!v) throw new Error(`the graph did not produce its output '${o.name}'`);
      out[o.name] = v;
    }
    return out;
  }
}

/** A graph's nodes in running order, each with its kernel. */
interface CompiledGraph {
  steps: Step[];
}

/**
 * Builds the kernel of every node of `graph` (the model's graph or a subgraph), adding the ops no factory
 * implements to `missing`. `outer`: the names the enclosing graphs define, which a subgraph may read.
 */
function compile(
  graph: Subgraph,
  opsets: ReadonlyMap<string, number>,
  outer: ReadonlySet<string>,
  missing: Set<string>,
): CompiledGraph {
  const nodes = topologicalOrder(graph, outer);
  // What this graph's subgraphs may read: everything it or an enclosing graph defines.
  const scope = new Set([...outer, ...graph.initializers.keys(), ...graph.inputs.map((i) => i.name)]);
  for (const n of nodes) n.outputs.forEach((o) => scope.add(o));
  const steps: Step[] = [];
  for (const node of nodes) {
    const domain = node.domain;
    const factory = opFactory(domain, node.opType);
    if (!factory) {
      missing.add(domain ? `${domain}:${node.opType}` : node.opType);
      continue;
    }
    const attrs = new Attrs(node);
    const subgraph = (name: string): GraphRunner => {
      const body = attrs.graph(name);
      if (!body) throw new Error(`${node.opType} node '${node.name}' has no graph attribute ${name}`);
      return subgraphRunner(body, compile(body, opsets, scope, missing));
    };
    steps.push({ node, kernel: factory({ node, opset: opsets.get(domain) ?? 1, attrs, subgraph }) });
  }
  return { steps };
}

/** A compiled subgraph as ops run it: inputs fed by position, names it does not define read from `outer`. */
function subgraphRunner(body: Subgraph, compiled: CompiledGraph): GraphRunner {
  const inputNames = body.inputs.map((i) => i.name);
  const outputNames = body.outputs.map((o) => o.name);
  return {
    inputs: body.inputs,
    outputs: body.outputs,
    run(feeds: Tensor[], outer: Scope): Tensor[] {
      if (feeds.length !== inputNames.length) {
        throw new Error(`a subgraph of ${inputNames.length} inputs given ${feeds.length}`);
      }
      const local = new Map<string, Tensor>(body.initializers);
      inputNames.forEach((name, i) => local.set(name, feeds[i]));
      const scope: Scope = { get: (name) => local.get(name) ?? outer.get(name) };
      runSteps(compiled.steps, local, scope);
      return outputNames.map((name) => {
        const v = scope.get(name);
        if (!v) throw new Error(`the subgraph did not produce its output '${name}'`);
        return v;
      });
    },
  };
}

/** Runs `steps`, reading their inputs from `scope` and writing their outputs to `values` (part of it). */
function runSteps(steps: Step[], values: Map<string, Tensor>, scope: Scope): void {
  for (const { node, kernel } of steps) {
    const args = node.inputs.map((name) => {
      if (name === "") return undefined;
      const v = scope.get(name);
      if (!v) throw new Error(`${node.opType} node '${node.name}' reads '${name}', which nothing produced`);
      return v;
    });
    let results: Tensor[];
    try {
      results = kernel(args, scope);
    } catch (e) {
      if (e instanceof UnsupportedError) throw e;
      throw new Error(`${node.opType} node '${node.name}': ${(e as Error).message}`);
    }
    node.outputs.forEach((name, i) => {
      if (name !== "" && results[i]) values.set(name, results[i]);
    });
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

/**
 * The graph's nodes ordered so that each runs after what it reads (ONNX requires it; some exporters slip).
 * `outer`: names a subgraph reads from the graphs enclosing it.
 */
function topologicalOrder(graph: Subgraph, outer: ReadonlySet<string>): GraphNode[] {
  const defined = [...outer, ...graph.initializers.keys(), ...graph.inputs.map((i) => i.name), ""];
  const known = new Set<string>(defined);
  const ready = (n: GraphNode) => n.inputs.every((i) => known.has(i));
  if (
    graph.nodes.every((n) => {
      const ok = ready(n);
      n.outputs.forEach((o) => known.add(o));
      return ok;
    })
  ) return graph.nodes;
  known.clear();
  for (const k of defined) known.add(k);
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
