// ai.onnx.ml LabelEncoder in its three forms: version 1 (classes_strings, string <-> position), versions 2-3
// (keys_*/values_* lists) and version 4 (lists or tensors, double and int16 types, NaN keys that match NaN),
// with onnxruntime's defaults and its rule that the first of repeated keys wins.

import { allocData, type ElemType, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import type { Attrs, Kernel, OpFactory } from "./types.ts";

type Key = number | string;

interface Mapping {
  keyType: ElemType;
  valueType: ElemType;
  map: Map<Key, Key>;
  fallback: Key;
}

const LIST_TYPES = [["int64s", "int64"], ["strings", "string"], ["floats", "float32"]] as const;

/** Key -> value type pairs onnxruntime registers for version 4. */
const V4_PAIRS = new Set([
  "int64>int64",
  "int64>string",
  "int64>float32",
  "int64>float64",
  "float32>float32",
  "float32>string",
  "float32>int64",
  "string>int64",
  "string>float32",
  "string>string",
  "string>int16",
  "string>float64",
  "float64>float64",
  "float64>string",
  "float64>int64",
]);

/** The keys (or values) of a LabelEncoder: the one keys_* list, or keys_tensor from version 4. */
function entries(attrs: Attrs, prefix: "keys" | "values", tensors: boolean): { type: ElemType; list: Key[] } {
  const found: { type: ElemType; list: Key[] }[] = [];
  for (const [suffix, type] of LIST_TYPES) {
    const name = `${prefix}_${suffix}`;
    if (!attrs.has(name)) continue;
    const list = type === "string"
      ? attrs.strings(name)
      : type === "int64"
      ? attrs.ints(name)
      : attrs.floats(name);
    found.push({ type, list });
  }
  const t = tensors ? attrs.tensor(`${prefix}_tensor`) : undefined;
  if (t) found.push({ type: t.type, list: Array.from(t.data as ArrayLike<Key>) });
  if (found.length !== 1) throw new UnsupportedError(`LabelEncoder needs exactly one ${prefix}_* attribute`);
  return found[0];
}

function buildMap(keys: Key[], values: Key[], nanMatches: boolean): Map<Key, Key> {
  if (keys.length !== values.length) {
    throw new UnsupportedError(`LabelEncoder with ${keys.length} keys and ${values.length} values`);
  }
  const map = new Map<Key, Key>();
  keys.forEach((key, i) => {
    // A Map matches NaN with NaN, as version 4 wants; before it a NaN key never matched (C++ ==).
    const nan = typeof key === "number" && Number.isNaN(key);
    if (!map.has(key) && (nanMatches || !nan)) map.set(key, values[i]);
  });
  return map;
}

function versionTwo(attrs: Attrs): Mapping {
  const keys = entries(attrs, "keys", false);
  const values = entries(attrs, "values", false);
  const fallback = values.type === "string"
    ? attrs.string("default_string", "_Unused")
    : values.type === "int64"
    ? attrs.int("default_int64", -1)
    : attrs.float("default_float", -0);
  return {
    keyType: keys.type,
    valueType: values.type,
    map: buildMap(keys.list, values.list, false),
    fallback,
  };
}

function versionFour(attrs: Attrs): Mapping {
  const keys = entries(attrs, "keys", true);
  const values = entries(attrs, "values", true);
  if (!V4_PAIRS.has(`${keys.type}>${values.type}`)) {
    throw new UnsupportedError(`LabelEncoder from ${keys.type} to ${values.type}`);
  }
  return {
    keyType: keys.type,
    valueType: values.type,
    map: buildMap(keys.list, values.list, true),
    fallback: defaultFour(attrs, keys.type, values.type),
  };
}

/** default_tensor, else the default_* attribute of the value type, else onnxruntime's per-pair fallback. */
function defaultFour(attrs: Attrs, keyType: ElemType, valueType: ElemType): Key {
  const t = attrs.tensor("default_tensor");
  if (t) {
    if (t.type !== valueType || t.data.length !== 1) {
      throw new UnsupportedError(
        `LabelEncoder default_tensor of ${t.type}[${t.data.length}] for ${valueType}`,
      );
    }
    return t.data[0];
  }
  switch (valueType) {
    case "string":
      return attrs.string("default_string", "_Unused");
    case "int64":
      return attrs.int("default_int64", -1);
    case "float32":
      return attrs.float("default_float", keyType === "float32" ? -0 : 0);
    case "float64":
      // onnxruntime ignores default_float for double values: only default_tensor sets their default.
      return -0;
    default:
      return -1;
  }
}

function mapped(m: Mapping): Kernel {
  return ([input]) => {
    const x = required(input, "LabelEncoder");
    if (x.type !== m.keyType) throw new Error(`LabelEncoder takes ${m.keyType} input, got ${x.type}`);
    return [lookup(x, m.map, m.valueType, m.fallback)];
  };
}

/** Version 1: the strings of classes_strings to their positions, or back, by the input's type. */
function versionOne(attrs: Attrs): Kernel {
  const classes = attrs.strings("classes_strings", []);
  const toIndex = new Map<Key, Key>(classes.map((c, i) => [c, i]));
  const toString = new Map<Key, Key>(classes.map((c, i) => [i, c]));
  const defaultInt = attrs.int("default_int64", -1);
  const defaultString = attrs.string("default_string", "_Unused");
  return ([input]) => {
    const x = required(input, "LabelEncoder");
    if (x.type === "string") return [lookup(x, toIndex, "int64", defaultInt)];
    if (x.type === "int64") return [lookup(x, toString, "string", defaultString)];
    throw new Error(`LabelEncoder does not take ${x.type} input`);
  };
}

/** Maps every element through `map`, `fallback` for keys it lacks. */
function lookup(x: Tensor, map: Map<Key, Key>, type: ElemType, fallback: Key): Tensor {
  const src = x.data as ArrayLike<Key>;
  const out = allocData(type, src.length) as { [i: number]: Key };
  for (let i = 0; i < src.length; i++) {
    const v = map.get(src[i]);
    out[i] = v === undefined ? fallback : v;
  }
  return { type, dims: [...x.dims], data: out as Tensor["data"] };
}

export const labelEncoder: OpFactory = ({ attrs, opset }) => {
  if (opset <= 1) return versionOne(attrs);
  if (opset <= 3) return mapped(versionTwo(attrs));
  // Version 4 is the op of ai.onnx.ml opsets 4 and 5.
  if (opset <= 5) return mapped(versionFour(attrs));
  throw new UnsupportedError(`LabelEncoder opset ${opset}`);
};
