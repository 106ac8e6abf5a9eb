// `/invocations` request bodies to model inputs: the content-type rules (JSON, CSV or Parquet, UTF-8 only, 415
// otherwise), the JSON envelope (exactly one of the four layouts, optional `params`, the unwrapped LLM form)
// and the layout parsers. Pure data in and out, so it runs inside the prediction Workers.

import { invalidInput, ScoringError } from "./errors.ts";
import { frameFromRecords, frameFromSplit } from "./frame.ts";
import type { PyFuncInput } from "./input.ts";
import { parseCsvInput } from "./csv.ts";
import { castFrameToSchema } from "./schema-cast.ts";
import type { InputSchema } from "./signature.ts";
import { parseTfServing } from "./tf-serving.ts";
import { parquetToFrame } from "./parquet/frame.ts";
import { readParquet } from "./parquet/read.ts";

export const CONTENT_TYPES = ["text/csv", "application/json", "application/vnd.apache.parquet"];
const FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;
const LLM_KEYS = ["messages", "prompt", "input"];

const REQUIRED_INPUT_FORMAT =
  "The request body must be a JSON object with exactly one of the keys 'dataframe_split', " +
  "'dataframe_records', 'instances' or 'inputs'";
export const SCORING_PROTOCOL_CHANGE_INFO =
  "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this " +
  "error, you are likely using an outdated scoring request format. To resolve the error, update your request " +
  "format to one of the layouts {'dataframe_split', 'dataframe_records', 'instances', 'inputs'} described at " +
  "https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

export interface ParsedRequest {
  input: PyFuncInput;
  params: unknown;
  /** The LLM shortcut: predictions are returned without the `predictions` wrapper. */
  unwrapped: boolean;
}

export type ContentTypeCheck =
  | { ok: true; mime: "application/json" | "text/csv" | typeof PARQUET_TYPE }
  | { ok: false; status: 415; message: string };

export const PARQUET_TYPE = "application/vnd.apache.parquet";

/** The scoring server's content-type rules: UTF-8 only, `charset` the only parameter, JSON, CSV or Parquet. */
export function checkContentType(header: string | null | undefined): ContentTypeCheck {
  const raw = header ?? "";
  const parts = raw.split(";").map((p) => p.trim());
  const mime = parts[0].toLowerCase();
  const params = new Map(
    parts.slice(1).filter((p) => p !== "").map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? [p, ""] : [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim()];
    }),
  );
  const charset = (params.get("charset") ?? "utf-8").replace(/^"|"$/g, "").toLowerCase();
  if (charset !== "utf-8") {
    return { ok: false, status: 415, message: "Request bodies must be UTF-8" };
  }
  const unexpected = [...params.keys()].filter((k) => k !== "charset");
  if (unexpected.length > 0) {
    return {
      ok: false,
      status: 415,
      message: `Content type parameters other than charset are not accepted: ${
        unexpected.join(", ")
      }. ${SCORING_PROTOCOL_CHANGE_INFO}`,
    };
  }
  if (mime === "application/json" || mime === "text/csv" || mime === PARQUET_TYPE) return { ok: true, mime };
  const types = "['text/csv', 'application/json', 'application/vnd.apache.parquet']";
  return { ok: false, status: 415, message: `Unsupported content type '${raw}'; send one of ${types}.` };
}

function decodeJson(text: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (e) {
    throw invalidInput(
      `The body is not valid JSON: 'JSONDecodeError(${JSON.stringify((e as Error).message)})'\nInput: \n${
        text.length > 1000 ? text.slice(0, 1000) + "..." : text
      }\n`,
    );
  }
  if (typeof decoded === "object" && decoded !== null && !Array.isArray(decoded)) {
    return decoded as Record<string, unknown>;
  }
  if (Array.isArray(decoded)) throw invalidInput(`${REQUIRED_INPUT_FORMAT}. got a list.`);
  const t = decoded === null ? "NoneType" : typeof decoded === "string" ? "str" : typeof decoded;
  throw invalidInput(`${REQUIRED_INPUT_FORMAT}. got a JSON ${t}.`);
}

/** _parse_json_data plus infer_and_parse_data. */
export function parseJsonRequest(
  text: string,
  schema: InputSchema | undefined,
  paramNames: ReadonlySet<string> = new Set(),
): ParsedRequest {
  const body = decodeJson(text);
  if (LLM_KEYS.some((k) => k in body)) {
    const data: Record<string, unknown> = {};
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) (paramNames.has(k) ? params : data)[k] = v;
    return { input: { kind: "llm", value: data }, params, unwrapped: true };
  }
  const present = FORMATS.filter((f) => f in body);
  const params = body.params;
  if (present.length !== 1) {
    const keys = Object.keys(body).filter((k) => (FORMATS as readonly string[]).includes(k));
    throw new ScoringError(
      "BAD_REQUEST",
      `${REQUIRED_INPUT_FORMAT}. got the layout keys [${
        keys.map((k) => `'${k}'`).join(", ")
      }]. ${SCORING_PROTOCOL_CHANGE_INFO}`,
    );
  }
  const format = present[0];
  const value = body[format];
  let input: PyFuncInput;
  if (format === "instances" || format === "inputs") {
    input = parseTfServing({ [format]: value }, schema);
  } else {
    const frame = format === "dataframe_split" ? frameFromSplit(value) : frameFromRecords(value);
    input = schema === undefined ? frame : castFrameToSchema(frame, schema);
  }
  return { input, params, unwrapped: false };
}

export function parseCsvRequest(text: string, schema: InputSchema | undefined): ParsedRequest {
  return { input: parseCsvInput(text, schema), params: undefined, unwrapped: false };
}

/** A Parquet body (pandas.DataFrame.to_parquet) becomes a DataFrame input; a bad one is a 400. */
export async function parseParquetRequest(body: Uint8Array): Promise<ParsedRequest> {
  try {
    return { input: parquetToFrame(await readParquet(body)), params: undefined, unwrapped: false };
  } catch (e) {
    throw new ScoringError(
      "BAD_REQUEST",
      "Cannot read the request body as a Parquet DataFrame (write it with pandas.DataFrame.to_parquet()). " +
        `Error: '${(e as Error).message}'`,
    );
  }
}
