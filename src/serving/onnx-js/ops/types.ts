// What an op implementation is: a factory that reads the node's attributes once, when the model loads, and
// returns the kernel that runs it. A factory throws UnsupportedError for attribute values it does not
// implement, so the model falls back to ONNX Runtime instead of computing something else.

import type { AttrValue, GraphNode, Subgraph, ValueInfo } from "../graph.ts";
import type { Tensor } from "../tensor.ts";

export interface NodeContext {
  node: GraphNode;
  /** The opset version of the node's domain the model imports. */
  opset: number;
  attrs: Attrs;
  /**
   * The graph attribute `name` (e.g. Scan's body) with its kernels built, ready to run from the kernel. Its
   * nodes may read values of the enclosing graphs by name; one it cannot find anywhere fails the load.
   */
  subgraph(name: string): GraphRunner;
}

/** The values a kernel's graph holds so far, by name, with those of the graphs enclosing it. */
export interface Scope {
  get(name: string): Tensor | undefined;
}

/** A subgraph built once at load, run once per call of it (Scan: per iteration). */
export interface GraphRunner {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** Runs on one tensor per input, in order, reading any other name from `outer`; one tensor per output. */
  run(feeds: Tensor[], outer: Scope): Tensor[];
}

/**
 * Runs the node: `inputs[i]` is undefined for an omitted optional input. Returns one tensor per output.
 * `scope` (always given by the session) is only read by ops with subgraphs, for the values they use from it.
 */
export type Kernel = (inputs: (Tensor | undefined)[], scope?: Scope) => Tensor[];

export type OpFactory = (ctx: NodeContext) => Kernel;

/** Op implementations of one domain, by op type. */
export type OpTable = Readonly<Record<string, OpFactory>>;

const DECODER = new TextDecoder();

/** Typed access to a node's attributes with ONNX's defaults. */
export class Attrs {
  constructor(private readonly node: GraphNode) {}

  has(name: string): boolean {
    return this.node.attributes.has(name);
  }

  int(name: string, fallback?: number): number {
    const a = this.get(name, "int");
    if (a) return a.value;
    return this.fallback(name, fallback);
  }

  float(name: string, fallback?: number): number {
    const a = this.get(name, "float");
    if (a) return a.value;
    return this.fallback(name, fallback);
  }

  string(name: string, fallback?: string): string {
    const a = this.get(name, "string");
    if (a) return DECODER.decode(a.value);
    return this.fallback(name, fallback);
  }

  ints(name: string, fallback?: number[]): number[] {
    const a = this.get(name, "ints");
    if (a) return a.value;
    return this.fallback(name, fallback);
  }

  floats(name: string, fallback?: number[]): number[] {
    const a = this.get(name, "floats");
    if (a) return a.value;
    return this.fallback(name, fallback);
  }

  strings(name: string, fallback?: string[]): string[] {
    const a = this.get(name, "strings");
    if (a) return a.value.map((s) => DECODER.decode(s));
    return this.fallback(name, fallback);
  }

  tensor(name: string): Tensor | undefined {
    return this.get(name, "tensor")?.value;
  }

  graph(name: string): Subgraph | undefined {
    return this.get(name, "graph")?.value;
  }

  /**
   * A list of numbers given as floats, ints, or a tensor (ai.onnx.ml's `*_as_tensor` attributes hold
   * doubles): `name` or `name_as_tensor`, whichever is present.
   */
  numbers(name: string, fallback?: number[]): number[] {
    const t = this.tensor(`${name}_as_tensor`) ?? this.tensor(name);
    if (t) return Array.from(t.data as ArrayLike<number>);
    const a = this.node.attributes.get(name);
    if (a?.kind === "floats" || a?.kind === "ints") return a.value;
    return this.fallback(name, fallback);
  }

  private get<K extends AttrValue["kind"]>(
    name: string,
    kind: K,
  ): Extract<AttrValue, { kind: K }> | undefined {
    const a = this.node.attributes.get(name);
    if (!a) return undefined;
    if (a.kind !== kind) {
      throw new Error(`${this.node.opType} attribute ${name} is ${a.kind}, expected ${kind}`);
    }
    return a as Extract<AttrValue, { kind: K }>;
  }

  private fallback<T>(name: string, fallback: T | undefined): T {
    if (fallback === undefined) throw new Error(`${this.node.opType} needs the attribute ${name}`);
    return fallback;
  }
}
