// One `/invocations` request, start to finish: content type, body decoding and parsing, signature checks,
// predict, response body. Pure data in and out, so it runs unchanged inside a prediction Worker.

import { enforceSchema } from "./enforce.ts";
import {
  errorResponse,
  invalidInput,
  JSON_TYPE,
  ScoringError,
  type ScoringResponse,
  textResponse,
} from "./errors.ts";
import type { PyFuncInput } from "./input.ts";
import type { ServableModel } from "./model.ts";
import { enforceParams } from "./params.ts";
import {
  checkContentType,
  PARQUET_TYPE,
  parseCsvRequest,
  type ParsedRequest,
  parseJsonRequest,
  parseParquetRequest,
} from "./parse-request.ts";
import { PredictError } from "./prediction.ts";
import { predictionsBody } from "./response.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Counts reported with each answer, for /metrics. */
export interface InvocationStats {
  rows?: number;
}

export async function invocations(
  body: Uint8Array,
  contentType: string | null,
  model: ServableModel,
): Promise<ScoringResponse & InvocationStats> {
  const ct = checkContentType(contentType);
  if (!ct.ok) return textResponse(ct.status, ct.message);
  try {
    const schema = model.signature?.inputs;
    let parsed: ParsedRequest;
    if (ct.mime === PARQUET_TYPE) {
      parsed = await parseParquetRequest(body);
    } else {
      let text: string;
      try {
        text = utf8.decode(body);
      } catch (e) {
        throw invalidInput(
          `Ensure that input is a valid UTF-8 encoded string. Error: '${(e as Error).message}'`,
        );
      }
      const paramNames = new Set((model.signature?.params ?? []).map((p) => p.name));
      parsed = ct.mime === "text/csv"
        ? parseCsvRequest(text, schema)
        : parseJsonRequest(text, schema, paramNames);
    }
    let input = parsed.input;
    const rows = rowCount(input);
    if (schema !== undefined && input.kind !== "llm") input = enforceSchema(input, schema);
    const params = enforceParams(parsed.params, model.signature?.params);
    let prediction;
    try {
      prediction = await model.predict(input, params);
    } catch (e) {
      if (e instanceof ScoringError) throw e;
      throw new ScoringError(
        "BAD_REQUEST",
        "The model raised an error while predicting; check that the input matches what the model expects.",
        { stackTrace: e instanceof PredictError ? e.message : String((e as Error)?.stack ?? e) },
      );
    }
    return { status: 200, contentType: JSON_TYPE, body: predictionsBody(prediction, parsed.unwrapped), rows };
  } catch (e) {
    if (e instanceof ScoringError) return errorResponse(e);
    throw e;
  }
}

function rowCount(input: PyFuncInput): number {
  switch (input.kind) {
    case "frame":
      return input.rows;
    case "ndarray":
      return input.array.shape[0] ?? 1;
    case "dict":
      return input.entries.values().next().value?.shape[0] ?? 1;
    default:
      return 1;
  }
}
