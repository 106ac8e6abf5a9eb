// Reading what MLflow's dataset classes log as JSON text: the schema (`mlflow_colspec` for tables,
// `mlflow_tensorspec` for arrays), the profile (e.g. num_rows, num_elements) and the source (a JSON
// object whose url/uri/path names where the data came from). Anything unreadable is shown raw.

export interface DatasetColumn {
  name: string;
  type: string;
  required?: boolean;
}

export interface DatasetSchema {
  columns: DatasetColumn[];
  /** The schema text when it is not a form we read. */
  raw?: string;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A column type as text: plain names stay, nested array/object specs are shown compactly. */
function typeText(spec: Record<string, unknown>): string {
  const t = spec.type;
  if (t === "tensor" && isObject(spec["tensor-spec"])) {
    const ts = spec["tensor-spec"];
    return `tensor ${String(ts.dtype ?? "")} ${JSON.stringify(ts.shape ?? [])}`.trim();
  }
  if (t === "array" && isObject(spec.items)) return `array<${typeText(spec.items)}>`;
  if (t === "object" && isObject(spec.properties)) {
    return `object{${
      Object.entries(spec.properties).map(([k, v]) => `${k}: ${isObject(v) ? typeText(v) : "?"}`).join(", ")
    }}`;
  }
  return typeof t === "string" ? t : JSON.stringify(t ?? "");
}

function columnsOf(list: unknown, prefix = ""): DatasetColumn[] | null {
  if (!Array.isArray(list)) return null;
  return list.map((c, i) => {
    const spec = isObject(c) ? c : {};
    const name = typeof spec.name === "string" ? spec.name : `[${i}]`;
    return {
      name: prefix ? `${prefix}.${name}` : name,
      type: typeText(spec),
      required: typeof spec.required === "boolean" ? spec.required : undefined,
    };
  });
}

export function parseDatasetSchema(text: string | undefined): DatasetSchema | null {
  if (!text) return null;
  const s = parseJson(text);
  if (isObject(s)) {
    const cols = columnsOf(s.mlflow_colspec);
    if (cols) return { columns: cols };
    // Tensor specs nest each part (features, targets) as a JSON string of its own.
    if (isObject(s.mlflow_tensorspec)) {
      const out: DatasetColumn[] = [];
      for (const [part, inner] of Object.entries(s.mlflow_tensorspec)) {
        const list = typeof inner === "string" ? parseJson(inner) : inner;
        const c = columnsOf(list, part);
        if (!c) return { columns: [], raw: text };
        out.push(...c.map((x) => (x.name.endsWith("[0]") && c.length === 1 ? { ...x, name: part } : x)));
      }
      return { columns: out };
    }
  }
  return { columns: [], raw: text };
}

/** Profile entries in logged order; a profile that is not a JSON object is one raw entry. */
export function parseDatasetProfile(text: string | undefined): { key: string; value: string }[] {
  if (!text) return [];
  const p = parseJson(text);
  if (!isObject(p)) return [{ key: "profile", value: text }];
  return Object.entries(p).map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }));
}

/** Where the data came from: the source's url/uri/path, else the source text itself. */
export function datasetSourceText(source: string): string {
  const s = parseJson(source);
  if (isObject(s)) {
    for (const k of ["url", "uri", "path", "table_name", "sql"]) {
      if (typeof s[k] === "string" && s[k]) return s[k] as string;
    }
    // A code source (a DataFrame built in the script) records the script's run tags.
    const script = isObject(s.tags) ? s.tags["mlflow.source.name"] : undefined;
    if (typeof script === "string" && script) return script;
  }
  return source;
}
