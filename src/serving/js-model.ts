// The `js` flavor: an ES module in the model directory exporting a predict function (default name
// `predict`), written by the TypeScript client's logModel. MLmodel:
//   flavors:
//     js:
//       data: model.mjs        # the module, relative to the model directory
//       predict_fn: predict    # optional
// predict(input, params) receives DataFrames as arrays of records, arrays as nested lists, dicts of arrays
// as objects, and may return (a promise of) any JSON-able value, which becomes `predictions`.

import * as path from "node:path";
import { toNested } from "./ndarray.ts";
import type { PyFuncInput } from "./input.ts";
import { PredictError, type Prediction } from "./prediction.ts";

type PredictFn = (input: unknown, params?: unknown) => unknown;

export class JsModel {
  private constructor(private readonly fn: PredictFn) {}

  static async load(modelDir: string, data: string, predictFn: string): Promise<JsModel> {
    const file = path.resolve(modelDir, data);
    const url = new URL("file://");
    url.pathname = file;
    const mod = await import(url.href) as Record<string, unknown>;
    const fn = mod[predictFn] ?? (mod.default as Record<string, unknown> | undefined)?.[predictFn];
    if (typeof fn !== "function") throw new Error(`${data} does not export a function '${predictFn}'`);
    return new JsModel(fn as PredictFn);
  }

  async predict(input: PyFuncInput, params: unknown): Promise<Prediction> {
    let value: unknown;
    try {
      value = await this.fn(toPlain(input), params ?? undefined);
    } catch (e) {
      throw new PredictError((e as Error)?.stack ?? String(e));
    }
    if (ArrayBuffer.isView(value)) value = Array.from(value as unknown as ArrayLike<unknown>);
    return { kind: "value", value: value ?? null };
  }
}

/** The request data as plain JS values. */
export function toPlain(pf: PyFuncInput): unknown {
  switch (pf.kind) {
    case "frame":
      return Array.from(
        { length: pf.rows },
        (_, r) => Object.fromEntries(pf.columns.map((c, i) => [String(c), pf.data[i].values[r]])),
      );
    case "ndarray":
      return toNested(pf.array);
    case "dict":
      return Object.fromEntries([...pf.entries].map(([k, a]) => [k, toNested(a)]));
    case "scalar":
    case "llm":
      return pf.value;
  }
}
