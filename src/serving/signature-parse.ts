// Parses the `signature` block of MLmodel: the JSON strings MLflow stores there (mlflow/types/schema.py)
// into the types of signature.ts.

import { z } from "zod";
import { type DType, NUMERIC_DTYPE_NAMES } from "./ndarray.ts";
import type { ColumnType, InputSchema, ParamSpec, Signature } from "./signature.ts";

const SCALAR_TYPES = new Set([
  "boolean",
  "integer",
  "long",
  "float",
  "double",
  "string",
  "binary",
  "datetime",
]);

const colSpecJson = z.object({
  type: z.union([z.string(), z.record(z.string(), z.unknown())]),
  name: z.string().nullish(),
  required: z.boolean().optional(),
  items: z.unknown().optional(),
  properties: z.unknown().optional(),
  values: z.unknown().optional(),
}).passthrough();

const tensorSpecJson = z.object({
  type: z.literal("tensor"),
  "tensor-spec": z.object({ dtype: z.string(), shape: z.array(z.number().int()) }),
  name: z.string().nullish(),
});

const paramJson = z.object({
  name: z.string(),
  type: z.string(),
  default: z.unknown(),
  shape: z.array(z.number().int()).nullish(),
});

const NUMPY_NAMES: Record<string, DType> = {
  ...NUMERIC_DTYPE_NAMES,
  str: "str",
  bytes: "bytes",
  object: "object",
};

export class SignatureError extends Error {}

/** Parses `signature.inputs` (a JSON string, or already-decoded JSON in hand-written MLmodel files). */
export function parseInputSchema(raw: unknown): InputSchema | undefined {
  if (raw === null || raw === undefined) return undefined;
  const specs = decodeJsonField(raw, "inputs");
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new SignatureError("signature inputs must be a non-empty list");
  }
  const isTensor = specs.map((s) =>
    typeof s === "object" && s !== null && (s as { type?: unknown }).type === "tensor"
  );
  if (isTensor.some((t) => t !== isTensor[0])) {
    throw new SignatureError("signature inputs mix tensor and column specs");
  }
  if (isTensor[0]) {
    return {
      kind: "tensors",
      inputs: specs.map((s) => {
        const t = tensorSpecJson.parse(s);
        const dtype = NUMPY_NAMES[t["tensor-spec"].dtype];
        if (dtype === undefined) {
          throw new SignatureError(`unsupported tensor dtype '${t["tensor-spec"].dtype}'`);
        }
        return { name: t.name ?? undefined, dtype, shape: t["tensor-spec"].shape };
      }),
    };
  }
  return {
    kind: "columns",
    inputs: specs.map((s) => {
      const c = colSpecJson.parse(s);
      const scalar = typeof c.type === "string" && SCALAR_TYPES.has(c.type);
      return {
        name: c.name ?? undefined,
        type: scalar ? (c.type as ColumnType) : "any",
        typeRepr: typeof c.type === "string" ? c.type : JSON.stringify(c.type),
        required: c.required ?? true,
      };
    }),
  };
}

export function parseParamsSchema(raw: unknown): ParamSpec[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const specs = z.array(paramJson).parse(decodeJsonField(raw, "params"));
  return specs.map((p) => ({
    name: p.name,
    type: SCALAR_TYPES.has(p.type) ? (p.type as ColumnType) : "any",
    default: p.default,
    shape: p.shape ?? null,
  }));
}

function decodeJsonField(raw: unknown, what: string): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new SignatureError(`signature ${what} is not valid JSON`);
  }
}

export function parseSignature(raw: unknown): Signature | undefined {
  if (raw === null || raw === undefined) return undefined;
  const block = z.object({ inputs: z.unknown(), outputs: z.unknown(), params: z.unknown() }).partial().parse(
    raw,
  );
  return {
    inputs: parseInputSchema(block.inputs),
    params: parseParamsSchema(block.params),
    outputs: block.outputs,
  };
}
