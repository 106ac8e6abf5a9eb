// What an op implementation is: a factory that reads the node's attributes once, when the model loads, and
// returns the kernel that runs it. A factory throws UnsupportedError for attribute values it does not
// implement, so the model falls back to ONNX Runtime instead of computing something else.

import type { AttrValue, GraphNode } from "../graph.ts";
import type { Tensor } from "../tensor.ts";

export interface NodeContext {
  node: GraphNode;
  /** The opset version of the node's domain the model imports. */
  opset: number;
  attrs: Attrs;
}

/** Runs the node: `inputs[i]` is undefined for an omitted optional input. Returns one tensor per output. */
export type Kernel = (inputs: (Tensor | undefined)[]) => Tensor[];

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
