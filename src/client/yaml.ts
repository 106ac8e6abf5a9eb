// A YAML writer for the documents the client produces (MLmodel, conda.yaml, logDict): block style and
// sorted keys like PyYAML's safe_dump, strings quoted whenever a plain scalar could be misread.

type Yaml = string | number | boolean | null | undefined | Yaml[] | { [key: string]: Yaml };

export function toYaml(value: unknown, opts: { sortKeys?: boolean } = {}): string {
  const sort = opts.sortKeys ?? true;
  const lines: string[] = [];
  emit(value as Yaml, 0, lines, sort);
  return lines.join("\n") + "\n";
}

function emit(value: Yaml, indent: number, lines: string[], sort: boolean): void {
  const pad = " ".repeat(indent);
  if (isMap(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (!keys.length) return void lines.push(pad + "{}");
    for (const key of sort ? keys.sort() : keys) {
      const v = value[key];
      if ((isMap(v) && Object.keys(v).some((k) => v[k] !== undefined)) || (Array.isArray(v) && v.length)) {
        lines.push(`${pad}${scalar(key)}:`);
        emit(v, Array.isArray(v) ? indent : indent + 2, lines, sort);
      } else lines.push(`${pad}${scalar(key)}: ${inline(v)}`);
    }
  } else if (Array.isArray(value)) {
    if (!value.length) return void lines.push(pad + "[]");
    for (const item of value) {
      if ((isMap(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) {
        const nested: string[] = [];
        emit(item, indent + 2, nested, sort);
        // The first line of the nested block goes right after the dash.
        lines.push(`${pad}- ${nested[0].slice(indent + 2)}`, ...nested.slice(1));
      } else lines.push(`${pad}- ${inline(item)}`);
    }
  } else lines.push(pad + inline(value));
}

function inline(v: Yaml): string {
  if (isMap(v)) return "{}";
  if (Array.isArray(v)) return "[]";
  return scalar(v);
}

const RESERVED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;
const NUMBER_LIKE =
  /^[-+]?(?:\.?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.(?:inf|Inf|INF|nan|NaN|NAN)|0x[\da-fA-F]+|0o[0-7]+)$/;
const SAFE_PLAIN = /^[A-Za-z_./][A-Za-z0-9_./\- ]*$/;

function scalar(v: Yaml): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return ".nan";
    if (!Number.isFinite(v)) return v > 0 ? ".inf" : "-.inf";
    return String(v);
  }
  const s = String(v);
  if (s !== "" && SAFE_PLAIN.test(s) && !s.endsWith(" ") && !RESERVED.test(s) && !NUMBER_LIKE.test(s)) {
    return s;
  }
  // JSON's double-quoted strings are valid YAML double-quoted scalars.
  return JSON.stringify(s);
}

function isMap(v: unknown): v is { [key: string]: Yaml } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
