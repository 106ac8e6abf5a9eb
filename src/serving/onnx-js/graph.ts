// ONNX ModelProto decoded into the plain structures the JS engine runs: nodes with typed attributes,
// initializers as tensors, and the graph's inputs and outputs. Field numbers follow onnx.proto.

import { ProtoReader } from "./proto.ts";
import { alloc, type ElemType, elemType, size, type Tensor, UnsupportedError } from "./tensor.ts";

export type AttrValue =
  | { kind: "float"; value: number }
  | { kind: "int"; value: number }
  | { kind: "string"; value: Uint8Array }
  | { kind: "tensor"; value: Tensor }
  | { kind: "floats"; value: number[] }
  | { kind: "ints"; value: number[] }
  | { kind: "strings"; value: Uint8Array[] }
  | { kind: "graph"; value: Subgraph };

export interface GraphNode {
  name: string;
  opType: string;
  /** "" and "ai.onnx" are both stored as "". */
  domain: string;
  /** "" marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  /** "tensor" for tensors; sequence, map and other kinds are named but not run. */
  kind: "tensor" | "sequence" | "map" | "other";
  /** Element type code of a tensor (TensorProto.DataType), 0 when unknown. */
  elemType: number;
  /** Dimensions: a number, a symbolic name, or undefined when not given. */
  shape?: (number | string | undefined)[];
}

/** A graph's content: the model's main graph, or a graph-valued attribute (Scan's body). */
export interface Subgraph {
  nodes: GraphNode[];
  initializers: Map<string, Tensor>;
  /** The inputs fed at run time (initializers listed as inputs are left out). */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export interface OnnxGraph extends Subgraph {
  /** Opset version per domain ("" for ai.onnx). */
  opsets: Map<string, number>;
  /** Model-local functions are not run by this engine. */
  functionCount: number;
}

const ATTR_TYPES: Record<number, AttrValue["kind"]> = {
  1: "float",
  2: "int",
  3: "string",
  4: "tensor",
  5: "graph",
  6: "floats",
  7: "ints",
  8: "strings",
};

function normalizeDomain(d: string): string {
  return d === "ai.onnx" ? "" : d;
}

export function decodeModel(bytes: Uint8Array): OnnxGraph {
  const r = new ProtoReader(bytes);
  const opsets = new Map<string, number>();
  let graph: Subgraph | undefined;
  let functionCount = 0;
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.field === 8 && t.wire === 2) {
      const m = r.message();
      let domain = "";
      let version = 1;
      for (let f = m.tag(); f; f = m.tag()) {
        if (f.field === 1 && f.wire === 2) domain = m.string();
        else if (f.field === 2 && f.wire === 0) version = m.varint();
        else m.skip(f.wire);
      }
      opsets.set(normalizeDomain(domain), version);
    } else if (t.field === 7 && t.wire === 2) {
      graph = decodeGraph(r.message());
    } else if (t.field === 25 && t.wire === 2) {
      functionCount++;
      r.skip(t.wire);
    } else {
      r.skip(t.wire);
    }
  }
  if (!graph) throw new Error("the ONNX model has no graph");
  return { ...graph, opsets, functionCount };
}

function decodeGraph(r: ProtoReader): Subgraph {
  const nodes: GraphNode[] = [];
  const initializers = new Map<string, Tensor>();
  const inputs: ValueInfo[] = [];
  const outputs: ValueInfo[] = [];
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.wire !== 2) {
      r.skip(t.wire);
      continue;
    }
    switch (t.field) {
      case 1:
        nodes.push(decodeNode(r.message()));
        break;
      case 5: {
        const { name, tensor } = decodeTensor(r.message());
        initializers.set(name, tensor);
        break;
      }
      case 15:
        throw new UnsupportedError("sparse initializers");
      case 11:
        inputs.push(decodeValueInfo(r.message()));
        break;
      case 12:
        outputs.push(decodeValueInfo(r.message()));
        break;
      default:
        r.skip(t.wire);
    }
  }
  // Since IR version 4 initializers need not be listed as inputs; those that are, are not fed.
  return { nodes, initializers, inputs: inputs.filter((i) => !initializers.has(i.name)), outputs };
}

export function decodeNode(r: ProtoReader): GraphNode {
  const node: GraphNode = {
    name: "",
    opType: "",
    domain: "",
    inputs: [],
    outputs: [],
    attributes: new Map(),
  };
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.wire !== 2) {
      r.skip(t.wire);
      continue;
    }
    switch (t.field) {
      case 1:
        node.inputs.push(r.string());
        break;
      case 2:
        node.outputs.push(r.string());
        break;
      case 3:
        node.name = r.string();
        break;
      case 4:
        node.opType = r.string();
        break;
      case 7:
        node.domain = normalizeDomain(r.string());
        break;
      case 5: {
        const [name, value] = decodeAttribute(r.message());
        node.attributes.set(name, value);
        break;
      }
      default:
        r.skip(t.wire);
    }
  }
  return node;
}

function decodeAttribute(r: ProtoReader): [string, AttrValue] {
  let name = "";
  let type = 0;
  let f = 0;
  let i = 0;
  let s: Uint8Array = new Uint8Array();
  let tensor: Tensor | undefined;
  let graph: Subgraph | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: Uint8Array[] = [];
  let refAttr = false;
  for (let t = r.tag(); t; t = r.tag()) {
    switch (t.field) {
      case 1:
        name = r.string();
        break;
      case 20:
        type = r.varint();
        break;
      case 2:
        f = r.fixed32f();
        break;
      case 3:
        i = r.varint();
        break;
      case 4:
        s = r.bytes();
        break;
      case 5:
        tensor = decodeTensor(r.message()).tensor;
        break;
      case 6:
        graph = decodeGraph(r.message());
        break;
      case 7:
        r.floats(t.wire, floats);
        break;
      case 8:
        r.varints(t.wire, ints);
        break;
      case 9:
        strings.push(r.bytes());
        break;
      case 21:
        refAttr = true;
        r.skip(t.wire);
        break;
      default:
        r.skip(t.wire);
    }
  }
  if (refAttr) throw new UnsupportedError(`attribute references (${name})`);
  const kind = ATTR_TYPES[type];
  switch (kind) {
    case "float":
      return [name, { kind, value: f }];
    case "int":
      return [name, { kind, value: i }];
    case "string":
      return [name, { kind, value: s }];
    case "tensor":
      if (!tensor) throw new Error(`attribute ${name} has no tensor`);
      return [name, { kind, value: tensor }];
    case "floats":
      return [name, { kind, value: floats }];
    case "ints":
      return [name, { kind, value: ints }];
    case "strings":
      return [name, { kind, value: strings }];
    case "graph":
      if (!graph) throw new Error(`attribute ${name} has no graph`);
      return [name, { kind, value: graph }];
    default:
      throw new UnsupportedError(`attribute ${name} of type ${type}`);
  }
}

function decodeTensor(r: ProtoReader): { name: string; tensor: Tensor } {
  const dims: number[] = [];
  let code = 0;
  let name = "";
  let raw: Uint8Array | undefined;
  const values: number[] = [];
  const strings: string[] = [];
  for (let t = r.tag(); t; t = r.tag()) {
    switch (t.field) {
      case 1:
        r.varints(t.wire, dims);
        break;
      case 2:
        code = r.varint();
        break;
      case 8:
        name = r.string();
        break;
      case 9:
        raw = r.bytes();
        break;
      case 4:
        r.floats(t.wire, values);
        break;
      case 5:
      case 7:
        r.varints(t.wire, values);
        break;
      case 10:
        r.doubles(t.wire, values);
        break;
      case 11:
        if (t.wire === 2) {
          const m = r.message();
          while (!m.done()) values.push(m.varint());
        } else values.push(r.varint());
        break;
      case 6:
        strings.push(r.string());
        break;
      case 3:
        throw new UnsupportedError("segmented tensors");
      case 14:
        if (r.varint() === 1) throw new UnsupportedError(`external data (tensor ${name || "?"})`);
        break;
      default:
        r.skip(t.wire);
    }
  }
  const type = elemType(code);
  const tensor = alloc(type, dims);
  const n = size(dims);
  if (type === "string") {
    if (strings.length !== n) throw new Error(`tensor ${name}: ${strings.length} strings for ${n} elements`);
    tensor.data = strings;
  } else if (raw) {
    fillFromRaw(tensor, type, raw, n, name);
  } else {
    if (values.length !== n) throw new Error(`tensor ${name}: ${values.length} values for ${n} elements`);
    const out = tensor.data as Float64Array;
    // float16 etc. never reach here (elemType refuses them); int32_data holds the small integer types.
    for (let k = 0; k < n; k++) out[k] = values[k];
  }
  return { name, tensor };
}

type RawArray =
  | typeof Float32Array
  | typeof Float64Array
  | typeof Int8Array
  | typeof Int16Array
  | typeof Int32Array
  | typeof BigInt64Array
  | typeof Uint8Array
  | typeof Uint16Array
  | typeof Uint32Array
  | typeof BigUint64Array;

const RAW_ARRAYS: Partial<Record<ElemType, RawArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

// raw_data is little-endian; so is every platform tracker is built for (x86-64, arm64).
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function fillFromRaw(tensor: Tensor, type: ElemType, raw: Uint8Array, n: number, name: string): void {
  const Raw = RAW_ARRAYS[type]!;
  if (raw.byteLength !== n * Raw.BYTES_PER_ELEMENT) {
    throw new Error(`tensor ${name}: ${raw.byteLength} raw bytes for ${n} ${type} elements`);
  }
  if (!LITTLE_ENDIAN && Raw.BYTES_PER_ELEMENT > 1) {
    throw new UnsupportedError("raw tensors on big-endian hosts");
  }
  // slice(): an aligned copy, since the bytes sit at any offset of the model file.
  const values = new Raw(raw.slice().buffer);
  const out = tensor.data as Float64Array;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let k = 0; k < n; k++) out[k] = Number(values[k]);
  } else {
    out.set(values);
  }
}

function decodeValueInfo(r: ProtoReader): ValueInfo {
  const info: ValueInfo = { name: "", kind: "other", elemType: 0 };
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.field === 1 && t.wire === 2) info.name = r.string();
    else if (t.field === 2 && t.wire === 2) decodeType(r.message(), info);
    else r.skip(t.wire);
  }
  return info;
}

function decodeType(r: ProtoReader, info: ValueInfo): void {
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.wire !== 2) {
      r.skip(t.wire);
      continue;
    }
    if (t.field === 1) {
      info.kind = "tensor";
      const m = r.message();
      for (let f = m.tag(); f; f = m.tag()) {
        if (f.field === 1 && f.wire === 0) info.elemType = m.varint();
        else if (f.field === 2 && f.wire === 2) info.shape = decodeShape(m.message());
        else m.skip(f.wire);
      }
    } else if (t.field === 4) {
      info.kind = "sequence";
      r.skip(t.wire);
    } else if (t.field === 5) {
      info.kind = "map";
      r.skip(t.wire);
    } else {
      r.skip(t.wire);
    }
  }
}

function decodeShape(r: ProtoReader): (number | string | undefined)[] {
  const dims: (number | string | undefined)[] = [];
  for (let t = r.tag(); t; t = r.tag()) {
    if (t.field !== 1 || t.wire !== 2) {
      r.skip(t.wire);
      continue;
    }
    const d = r.message();
    let dim: number | string | undefined;
    for (let f = d.tag(); f; f = d.tag()) {
      if (f.field === 1 && f.wire === 0) dim = d.varint();
      else if (f.field === 2 && f.wire === 2) dim = d.string();
      else d.skip(f.wire);
    }
    dims.push(dim);
  }
  return dims;
}
