// What a model returns, before JSON: a DataFrame (records), named arrays, or a plain value (JS models).

import type { NdArray } from "./ndarray.ts";

export type Prediction =
  | { kind: "records"; columns: string[]; values: unknown[][]; rows: number }
  | { kind: "arrays"; arrays: Map<string, NdArray> }
  | { kind: "array"; array: NdArray }
  | { kind: "value"; value: unknown };

/** An exception inside predict: MLflow answers it with 400 BAD_REQUEST and the detail as stack_trace. */
export class PredictError extends Error {}
