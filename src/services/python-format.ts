// Python's text forms that MLflow puts into messages and tags (json.dumps, repr), so ours read the same.

const escapeNonAscii = (s: string) =>
  s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * json.dumps: non-ASCII escaped, NaN/Infinity bare, separators ", " and ": " (or "," and ":" when
 * `compact`, as MLflow's invalid_value uses). Object keys keep their order.
 */
export function pyJsonDumps(v: unknown, compact = false): string {
  const [itemSep, keySep] = compact ? [",", ":"] : [", ", ": "];
  const dump = (x: unknown): string => {
    if (x === null || x === undefined) return "null";
    if (typeof x === "number") {
      if (Number.isNaN(x)) return "NaN";
      if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
      return JSON.stringify(x);
    }
    if (typeof x === "string") return escapeNonAscii(JSON.stringify(x));
    if (typeof x === "boolean") return x ? "true" : "false";
    if (Array.isArray(x)) return `[${x.map(dump).join(itemSep)}]`;
    if (typeof x === "object") {
      const parts = Object.entries(x as Record<string, unknown>)
        .filter(([, y]) => y !== undefined)
        .map(([k, y]) => `${dump(k)}${keySep}${dump(y)}`);
      return `{${parts.join(itemSep)}}`;
    }
    return JSON.stringify(x) ?? "null";
  };
  return dump(v);
}

/** repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = "";
  for (const ch of s) {
    if (ch === "\\") body += "\\\\";
    else if (ch === quote) body += `\\${ch}`;
    else if (ch === "\n") body += "\\n";
    else if (ch === "\r") body += "\\r";
    else if (ch === "\t") body += "\\t";
    else if (ch < " " || ch === "\x7f") body += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else body += ch;
  }
  return quote + body + quote;
}

/** str() of a float, as in f"{value}" (1.0, nan, inf). */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? v.toFixed(1) : String(v);
}

/** round(): half to even, as Python 3 rounds floats. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
