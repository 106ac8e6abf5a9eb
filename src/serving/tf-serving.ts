// The TF-serving request layouts of the scoring protocol: `instances` (rows: values, lists, or records that
// become columns) and `inputs` (columnar: one array or a dict of arrays), cast as MLflow's
// parse_tf_serving_input does against the signature.

import { invalidInput } from "./errors.ts";
import type { PyFuncInput } from "./input.ts";
import type { NdArray } from "./ndarray.ts";
import { pyTypeName } from "./ndarray.ts";
import { convertToArray } from "./schema-cast.ts";
import {
  type ColSpec,
  hasInputNames,
  type InputSchema,
  requiredInputNames,
  type TensorSpec,
} from "./signature.ts";

function specsByName(schema: InputSchema | undefined): Map<string, ColSpec | TensorSpec> {
  const m = new Map<string, ColSpec | TensorSpec>();
  if (schema && hasInputNames(schema)) { for (const s of schema.inputs) m.set(s.name!, s); }
  return m;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** _cast_schema_type: the `inputs` layout, and `instances` that are not records. */
export function castSchemaType(data: unknown, schema: InputSchema | undefined): PyFuncInput {
  const types = specsByName(schema);
  if (schema !== undefined) {
    if (types.size === 1 && Array.isArray(data) && !data.some(isRecord)) {
      data = { [types.keys().next().value!]: data };
    } else if (!hasInputNames(schema) && !(Array.isArray(data) || isScalar(data))) {
      throw invalidInput(
        "The model signature has one unnamed input, so the request must send one array or one value; " +
          `got a ${pyTypeName(data)}.`,
      );
    }
  }
  if (isRecord(data)) {
    const entries = new Map<string, NdArray>();
    for (const [k, v] of Object.entries(data)) entries.set(k, convertToArray(v, types.get(k)));
    return { kind: "dict", entries };
  }
  if (Array.isArray(data) && data.length > 0 && data.every(isRecord)) {
    // A list of records in `inputs`: MLflow converts each value but keeps the rows; treat as columns.
    return recordsToColumns(data as Record<string, unknown>[], types);
  }
  const spec = schema?.inputs[0];
  if (Array.isArray(data)) return { kind: "ndarray", array: convertToArray(data, spec) };
  try {
    const a = convertToArray([data], spec);
    return { kind: "scalar", value: a.data[0] };
  } catch {
    throw invalidInput(
      `Failed to convert data \`${
        JSON.stringify(data)
      }\` to type \`${spec}\` defined in the model signature.`,
    );
  }
}

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

function recordsToColumns(
  rows: Record<string, unknown>[],
  types: Map<string, ColSpec | TensorSpec>,
): PyFuncInput {
  const cols = new Map<string, unknown[]>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (!cols.has(k)) cols.set(k, []);
      cols.get(k)!.push(v);
    }
  }
  const entries = new Map<string, NdArray>();
  for (const [k, vs] of cols) entries.set(k, convertToArray(vs, types.get(k)));
  return { kind: "dict", entries };
}

/** parse_instances_data. */
export function parseInstances(data: unknown, schema: InputSchema | undefined): PyFuncInput {
  let out: PyFuncInput;
  if (Array.isArray(data) && data.length > 0 && isRecord(data[0])) {
    out = recordsToColumns(data as Record<string, unknown>[], specsByName(schema));
  } else {
    out = castSchemaType(data, schema);
  }
  if (out.kind === "dict") {
    let check = [...out.entries.keys()];
    if (schema && hasInputNames(schema)) {
      const required = new Set(requiredInputNames(schema));
      check = check.filter((k) => required.has(k));
    }
    const lengths = check.map((k) => out.entries.get(k)!.shape[0] ?? 1);
    if (lengths.some((n) => n !== lengths[0])) {
      throw invalidInput("Every input must have the same number of rows");
    }
  }
  return out;
}

/** parse_tf_serving_input: exactly one of `instances`/`inputs`. */
export function parseTfServing(body: Record<string, unknown>, schema: InputSchema | undefined): PyFuncInput {
  if ("signature_name" in body) throw invalidInput('"signature_name" parameter is currently not supported');
  const keys = Object.keys(body);
  if (!(keys.length === 1 && (keys[0] === "instances" || keys[0] === "inputs"))) {
    throw invalidInput(
      `Send either 'instances' or 'inputs', alone; got the keys [${keys.map((k) => `'${k}'`).join(", ")}]`,
    );
  }
  return keys[0] === "instances"
    ? parseInstances(body.instances, schema)
    : castSchemaType(body.inputs, schema);
}
