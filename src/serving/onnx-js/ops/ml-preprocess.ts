// ai.onnx.ml feature preprocessing: Normalizer, Scaler, Binarizer, Imputer, ArrayFeatureExtractor,
// OneHotEncoder, LabelEncoder and FeatureVectorizer, with onnxruntime's types, defaults and float32 steps.

import { allocData, numeric, type NumericData, size, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { labelEncoder } from "./ml-label-encoder.ts";
import type { OpTable } from "./types.ts";

const f = Math.fround;

/** Elements per row (the last axis of 1-D input, axis 1 otherwise), as these ops broadcast per feature. */
function featureStride(x: Tensor, op: string): number {
  if (x.dims.length === 0) throw new Error(`${op} needs an input with at least one dimension`);
  return x.dims.length === 1 ? x.dims[0] : x.dims[1];
}

function onlyTypes(x: Tensor, op: string, types: readonly string[]): void {
  if (!types.includes(x.type)) throw new Error(`${op} does not take ${x.type} input`);
}

type NormMode = "MAX" | "L1" | "L2";

/** Normalizes row r of `c` values, in float32 steps as onnxruntime does. */
function normalizeRow(
  x: NumericData,
  y: Float32Array,
  r: number,
  c: number,
  mode: NormMode,
): void {
  const start = r * c;
  const end = start + c;
  let d: number;
  if (mode === "MAX") {
    d = -3.4028234663852886e38;
    // std::max keeps the running maximum when compared with NaN.
    for (let i = start; i < end; i++) if (d < f(x[i])) d = f(x[i]);
  } else if (mode === "L1") {
    d = 0;
    for (let i = start; i < end; i++) d = f(d + f(Math.abs(x[i])));
  } else {
    d = 0;
    for (let i = start; i < end; i++) {
      // The square is taken in the input's type, then stored as float32.
      const sq = f(x[i] * x[i]);
      y[i] = sq;
      d = f(d + sq);
    }
  }
  if (d === 0) {
    for (let i = start; i < end; i++) y[i] = x[i];
  } else if (mode === "L2") {
    for (let i = start; i < end; i++) {
      const v = Math.sqrt(f(y[i] / d));
      y[i] = x[i] < 0 ? -v : v;
    }
  } else {
    for (let i = start; i < end; i++) y[i] = f(x[i]) / d;
  }
}

const INT64_MIN = -(2 ** 63);

/** A number cast to int64 as x86 does: truncated, and NaN or out of range becomes INT64_MIN. */
function toInt64(v: number): number {
  return v >= -(2 ** 63) && v < 2 ** 63 ? Math.trunc(v) : INT64_MIN;
}

export const ML_PREPROCESS_OPS: OpTable = {
  Normalizer: ({ attrs }) => {
    const mode = attrs.string("norm", "MAX");
    if (mode !== "MAX" && mode !== "L1" && mode !== "L2") {
      throw new UnsupportedError(`Normalizer norm ${mode}`);
    }
    return ([input]) => {
      const x = required(input, "Normalizer");
      onlyTypes(x, "Normalizer", ["float32", "float64", "int64", "int32"]);
      const data = numeric(x, "Normalizer");
      if (x.dims.length > 2) throw new Error(`Normalizer takes 1-D or 2-D input, got ${x.dims.length}-D`);
      const c = featureStride(x, "Normalizer");
      const y = new Float32Array(data.length);
      for (let r = 0; c > 0 && r < data.length / c; r++) normalizeRow(data, y, r, c, mode);
      return [{ type: "float32", dims: [...x.dims], data: y }];
    };
  },

  Scaler: ({ attrs }) => {
    const scale = attrs.floats("scale", []);
    const offset = attrs.floats("offset", []);
    if (scale.length === 0 || scale.length !== offset.length) {
      throw new UnsupportedError(`Scaler with ${scale.length} scales and ${offset.length} offsets`);
    }
    return ([input]) => {
      const x = required(input, "Scaler");
      onlyTypes(x, "Scaler", ["float32", "float64", "int64", "int32"]);
      const data = numeric(x, "Scaler");
      const stride = featureStride(x, "Scaler");
      let per: boolean;
      if (scale.length === stride) per = true;
      else if (scale.length === 1) per = false;
      else throw new Error(`Scaler: either both scale and offset can be of feature size (${stride}) or 1`);
      const y = new Float32Array(data.length);
      // Double input is scaled in double; float and integer input in float32 steps.
      const isDouble = x.type === "float64";
      for (let i = 0; i < data.length; i++) {
        const k = per ? i % stride : 0;
        y[i] = isDouble ? (data[i] - offset[k]) * scale[k] : f(f(data[i]) - offset[k]) * scale[k];
      }
      return [{ type: "float32", dims: [...x.dims], data: y }];
    };
  },

  Binarizer: ({ attrs }) => {
    const threshold = attrs.float("threshold", 0);
    return ([input]) => {
      const x = required(input, "Binarizer");
      onlyTypes(x, "Binarizer", ["float32"]);
      const data = x.data as Float32Array;
      const y = new Float32Array(data.length);
      for (let i = 0; i < data.length; i++) {
        if (Number.isNaN(data[i])) throw new Error(`Binarizer: input data with index ${i} is NaN`);
        y[i] = data[i] > threshold ? 1 : 0;
      }
      return [{ type: "float32", dims: [...x.dims], data: y }];
    };
  },

  Imputer: ({ attrs }) => {
    const floats = attrs.floats("imputed_value_floats", []);
    const ints = attrs.ints("imputed_value_int64s", []);
    if ((floats.length === 0) === (ints.length === 0)) {
      throw new UnsupportedError(
        "Imputer needs exactly one of imputed_value_floats and imputed_value_int64s",
      );
    }
    const replacedFloat = attrs.float("replaced_value_float", 0);
    const replacedInt = attrs.int("replaced_value_int64", 0);
    return ([input]) => {
      const x = required(input, "Imputer");
      onlyTypes(x, "Imputer", ["float32", "int64"]);
      const isFloat = x.type === "float32";
      const values = isFloat ? floats : ints;
      if (values.length === 0) throw new Error(`Imputer has no imputed values for ${x.type} input`);
      const replaced = isFloat ? replacedFloat : replacedInt;
      const nanReplaced = Number.isNaN(replaced);
      const data = x.data as NumericData;
      const stride = featureStride(x, "Imputer");
      const per = values.length === stride;
      const y = allocData(x.type, data.length) as NumericData;
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        y[i] = (nanReplaced && Number.isNaN(v)) || v === replaced ? values[per ? i % stride : 0] : v;
      }
      return [{ type: x.type, dims: [...x.dims], data: y }];
    };
  },

  ArrayFeatureExtractor: () => ([input, indices]) => {
    const x = required(input, "ArrayFeatureExtractor");
    const idx = required(indices, "ArrayFeatureExtractor");
    onlyTypes(x, "ArrayFeatureExtractor", ["float32", "float64", "int32", "int64", "string"]);
    if (idx.type !== "int64") throw new Error(`ArrayFeatureExtractor indices must be int64, got ${idx.type}`);
    if (x.dims.length === 0) throw new Error("ArrayFeatureExtractor: X input has empty dimensions");
    const stride = x.dims[x.dims.length - 1];
    const ix = idx.data as Float64Array;
    if (ix.length === 0) throw new Error("ArrayFeatureExtractor: no indices");
    for (const i of ix) {
      if (i >= stride || i < 0) {
        throw new Error(`ArrayFeatureExtractor: index ${i} is out of range [0, ${stride})`);
      }
    }
    const dims = x.dims.length === 1 ? [1, ix.length] : [...x.dims.slice(0, -1), ix.length];
    const outer = stride === 0 ? 0 : x.data.length / stride;
    const out = allocData(x.type, outer * ix.length);
    const src = x.data;
    let o = 0;
    for (let r = 0; r < outer; r++) {
      for (let j = 0; j < ix.length; j++) out[o++] = src[r * stride + ix[j]];
    }
    return [{ type: x.type, dims, data: out }];
  },

  OneHotEncoder: ({ attrs }) => {
    const catInts = attrs.ints("cats_int64s", []);
    const catStrings = attrs.strings("cats_strings", []);
    if (catInts.length > 0 && catStrings.length > 0) {
      throw new UnsupportedError("OneHotEncoder with both cats_int64s and cats_strings");
    }
    const cats = new Map<number | string, number>();
    (catInts.length > 0 ? catInts : catStrings).forEach((c, i) => cats.set(c, i));
    const k = catInts.length + catStrings.length;
    if (k === 0) throw new UnsupportedError("OneHotEncoder without categories");
    const zeros = attrs.int("zeros", 1) !== 0;
    return ([input]) => {
      const x = required(input, "OneHotEncoder");
      onlyTypes(x, "OneHotEncoder", ["int64", "float32", "float64", "string"]);
      const y = new Float32Array(x.data.length * k);
      const strings = x.type === "string";
      for (let i = 0; i < x.data.length; i++) {
        const v = strings ? (x.data as string[])[i] : toInt64((x.data as NumericData)[i]);
        const at = cats.get(v);
        if (at !== undefined) y[i * k + at] = 1;
        else if (!zeros) throw new Error("OneHotEncoder: unknown category and zeros = 0");
      }
      return [{ type: "float32", dims: [...x.dims, k], data: y }];
    };
  },

  LabelEncoder: labelEncoder,

  FeatureVectorizer: ({ attrs }) => {
    const widths = attrs.ints("inputdimensions", []);
    const total = widths.reduce((a, b) => a + b, 0);
    return (inputs) => {
      if (inputs.length !== widths.length) {
        throw new Error(`FeatureVectorizer has ${inputs.length} inputs and ${widths.length} inputdimensions`);
      }
      const first = required(inputs[0], "FeatureVectorizer");
      const n = first.dims.length === 1 ? 1 : first.dims[0];
      const y = new Float32Array(n * total);
      let offset = 0;
      inputs.forEach((input, i) => {
        const x = required(input, "FeatureVectorizer");
        onlyTypes(x, "FeatureVectorizer", ["int32", "int64", "float32", "float64"]);
        const xn = x.dims.length === 1 ? 1 : x.dims[0];
        if (xn !== n) throw new Error(`FeatureVectorizer inputs have ${n} and ${xn} rows`);
        const width = x.dims.length === 1 ? x.dims[0] : size(x.dims.slice(1));
        // Extra values are dropped, missing ones stay 0.
        const copy = Math.min(width, widths[i]);
        const data = x.data as NumericData;
        for (let r = 0; r < n; r++) {
          for (let k = 0; k < copy; k++) y[r * total + offset + k] = data[r * width + k];
        }
        offset += widths[i];
      });
      return [{ type: "float32", dims: [n, total], data: y }];
    };
  },
};
