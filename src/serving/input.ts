// What a parsed request hands to a model, mirroring pyfunc's inputs: a DataFrame, one ndarray, a dict of
// ndarrays (or raw values for columns without a tensor type), or a single scalar.

import type { Frame } from "./frame.ts";
import type { NdArray } from "./ndarray.ts";

export interface ArrayInput {
  kind: "ndarray";
  array: NdArray;
}

export interface DictInput {
  kind: "dict";
  entries: Map<string, NdArray>;
}

export interface ScalarInput {
  kind: "scalar";
  value: unknown;
}

/** The unwrapped LLM layout (`messages`/`prompt`/`input` keys): handed to the model as it came. */
export interface LlmInput {
  kind: "llm";
  value: Record<string, unknown>;
}

export type PyFuncInput = Frame | ArrayInput | DictInput | ScalarInput | LlmInput;

/** A short description of the input for error messages (MLflow prints the pandas/numpy repr there). */
export function describeInput(input: PyFuncInput): string {
  switch (input.kind) {
    case "frame":
      return `DataFrame with columns ${JSON.stringify(input.columns)} and ${input.rows} rows`;
    case "ndarray":
      return `ndarray of shape (${input.array.shape.join(", ")}) and dtype ${input.array.dtype}`;
    case "dict":
      return `{${
        [...input.entries].map(([k, v]) => `'${k}': ndarray of shape (${v.shape.join(", ")})`).join(", ")
      }}`;
    case "scalar":
    case "llm":
      return JSON.stringify(input.value);
  }
}
