// The ai.onnx.ml linear, SVM and preprocessing ops: refusals and runtime errors the conformance corpus cannot
// show, because onnxruntime itself fails to load those models or to run those inputs. Values are checked
// against onnxruntime by the corpus (tests/onnx_js/cases_linear.py, cases_svm.py, cases_preprocess.py).

import type { AttrValue } from "../../src/serving/onnx-js/graph.ts";
import { ML_LINEAR_OPS } from "../../src/serving/onnx-js/ops/ml-linear.ts";
import { ML_PREPROCESS_OPS } from "../../src/serving/onnx-js/ops/ml-preprocess.ts";
import { ML_SVM_OPS } from "../../src/serving/onnx-js/ops/ml-svm.ts";
import type { Kernel, OpTable } from "../../src/serving/onnx-js/ops/types.ts";
import { type ElemType, fromValues, type Tensor } from "../../src/serving/onnx-js/tensor.ts";
import { assertRefused, assertRuntimeError, kernelOf, thrown } from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const ENCODER = new TextEncoder();
const OPS: OpTable = { ...ML_LINEAR_OPS, ...ML_PREPROCESS_OPS, ...ML_SVM_OPS };

type Attr = number | string | number[] | string[] | { floats: number[] };

/** An attribute from a plain value: integers are ints, other numbers floats, `{floats}` a float list. */
function attr(v: Attr): AttrValue {
  if (typeof v === "string") return { kind: "string", value: ENCODER.encode(v) };
  if (typeof v === "number") {
    return Number.isInteger(v) ? { kind: "int", value: v } : { kind: "float", value: v };
  }
  if (!Array.isArray(v)) return { kind: "floats", value: v.floats };
  if (v.length > 0 && typeof v[0] === "string") {
    return { kind: "strings", value: (v as string[]).map((s) => ENCODER.encode(s)) };
  }
  return { kind: "ints", value: v as number[] };
}

function kernel(opType: string, attrs: Record<string, Attr>, opset = 1): Kernel {
  const attributes = new Map(Object.entries(attrs).map(([k, v]) => [k, attr(v)]));
  return kernelOf(OPS, opType, opset, attributes, { domain: "ai.onnx.ml" });
}

function t(type: ElemType, dims: number[], values: number[] | string[]): Tensor {
  return fromValues(type, dims, values);
}

Deno.test("ml ops refuse post_transform names onnxruntime does not load", () => {
  const coef = { floats: [1, 2] };
  assertRefused(
    () => kernel("LinearRegressor", { coefficients: coef, targets: 1, post_transform: "BOGUS" }),
    "post_transform BOGUS",
  );
  assertRefused(
    () =>
      kernel("LinearClassifier", {
        coefficients: coef,
        intercepts: { floats: [0] },
        classlabels_ints: [0, 1],
        post_transform: "LOGIT",
      }),
    "post_transform LOGIT",
  );
});

Deno.test("LinearClassifier refuses class counts onnxruntime refuses", () => {
  assertRefused(
    () => kernel("LinearClassifier", { coefficients: { floats: [1, 2] }, classlabels_ints: [0, 1] }),
    "without intercepts",
  );
  // One score needs exactly two labels; several scores need a label each.
  assertRefused(
    () => kernel("LinearClassifier", { coefficients: { floats: [1, 2] }, intercepts: { floats: [0] } }),
    "1 score(s) and 0 labels",
  );
  assertRefused(
    () =>
      kernel("LinearClassifier", {
        coefficients: { floats: [1, 2, 3, 4, 5, 6] },
        intercepts: { floats: [0, 0, 0] },
        classlabels_strings: ["a", "b"],
      }),
    "3 score(s) and 2 labels",
  );
});

Deno.test("LinearClassifier and LinearRegressor name a feature count that does not fit the coefficients", () => {
  const k = kernel("LinearClassifier", {
    coefficients: { floats: [1, 2, 3, 4] },
    intercepts: { floats: [0, 1] },
    classlabels_ints: [5, 6],
  });
  assertEquals((k([t("float32", [1, 2], [1, 1])])[0].data as Float64Array)[0], 6);
  assertRuntimeError(() => k([t("float32", [1, 3], [1, 1, 1])]), "4 coefficients for 2 targets × 3 features");
  const r = kernel("LinearRegressor", { coefficients: { floats: [1, 2] }, targets: 1 });
  assertRuntimeError(() => r([t("float64", [1, 2], [1, 1])]), "float32 input");
});

Deno.test("SVMClassifier refuses attributes that do not describe its classes", () => {
  const base = {
    support_vectors: { floats: [0, 0, 1, 1, 2, 2] },
    coefficients: { floats: [1, -1, 0.5] },
    rho: { floats: [0.1] },
    kernel_type: "RBF",
    kernel_params: { floats: [0.5, 0, 0] },
    classlabels_ints: [0, 1],
  };
  assertRefused(
    () => kernel("SVMClassifier", { ...base, vectors_per_class: [1, 1, 1] }),
    "3 vectors_per_class",
  );
  assertRefused(
    () => kernel("SVMClassifier", { ...base, vectors_per_class: [2, 1], prob_a: { floats: [1] } }),
    "prob_a and prob_b",
  );
  assertRefused(
    () => kernel("SVMClassifier", { ...base, vectors_per_class: [2, 1], kernel_type: "CUSTOM" }),
    "kernel_type CUSTOM",
  );
  const { kernel_params: _, ...noParams } = base;
  const e = thrown(() => kernel("SVMClassifier", { ...noParams, vectors_per_class: [2, 1] }));
  assert(e instanceof Error && e.message.includes("needs the attribute kernel_params"), String(e));
  const k = kernel("SVMClassifier", { ...base, vectors_per_class: [2, 1] });
  assertRuntimeError(() => k([t("float32", [1, 3], [0, 0, 0])]), "expects 2 features, got 3");
});

Deno.test("Binarizer, OneHotEncoder, ArrayFeatureExtractor and Normalizer fail on inputs onnxruntime fails on", () => {
  assertRuntimeError(() => kernel("Binarizer", {})([t("float32", [3], [0, NaN, 1])]), "index 1 is NaN");
  const onehot = kernel("OneHotEncoder", { cats_int64s: [1, 2], zeros: 0 });
  assertEquals(Array.from(onehot([t("int64", [1], [2])])[0].data as Float32Array), [0, 1]);
  assertRuntimeError(() => onehot([t("int64", [1], [7])]), "unknown category");
  const afe = kernel("ArrayFeatureExtractor", {});
  assertRuntimeError(() => afe([t("float32", [1, 3], [1, 2, 3]), t("int64", [1], [3])]), "out of range");
  assertRuntimeError(() => afe([t("float32", [1, 3], [1, 2, 3]), t("int64", [1], [-1])]), "out of range");
  assertRuntimeError(
    () => kernel("Normalizer", { norm: "L2" })([t("float32", [1, 2, 2], [1, 2, 3, 4])]),
    "got 3-D",
  );
  assertRefused(() => kernel("Normalizer", { norm: "L3" }), "norm L3");
  assertRuntimeError(
    () =>
      kernel("Scaler", { scale: { floats: [1, 2] }, offset: { floats: [0, 0] } })([
        t("float32", [1, 3], [1, 2, 3]),
      ]),
    "feature size (3) or 1",
  );
});

Deno.test("Imputer and LabelEncoder refuse what onnxruntime does not load", () => {
  assertRefused(
    () => kernel("Imputer", { imputed_value_floats: { floats: [1] }, imputed_value_int64s: [1] }),
    "exactly one",
  );
  assertRefused(() => kernel("LabelEncoder", { keys_int64s: [1], values_int64s: [2] }, 6), "opset 6");
  assertRefused(
    () => kernel("LabelEncoder", { keys_int64s: [1], keys_strings: ["a"], values_int64s: [2] }, 2),
    "one keys_*",
  );
  assertRefused(
    () => kernel("LabelEncoder", { keys_int64s: [1, 2], values_strings: ["a"] }, 2),
    "2 keys and 1 values",
  );
  // A float key holding NaN matches NaN from version 4 on, never before.
  const input = t("float32", [2], [NaN, 1.5]);
  const v2 = kernel("LabelEncoder", { keys_floats: { floats: [NaN, 1.5] }, values_int64s: [7, 8] }, 2);
  assertEquals(Array.from(v2([input])[0].data as Float64Array), [-1, 8]);
  const v4 = kernel("LabelEncoder", { keys_floats: { floats: [NaN, 1.5] }, values_int64s: [7, 8] }, 4);
  assertEquals(Array.from(v4([input])[0].data as Float64Array), [7, 8]);
  assertRuntimeError(() => v4([t("float64", [1], [1.5])]), "takes float32 input, got float64");
});
