// SQL LIKE / ILIKE: `%` matches any run of characters, `_` exactly one; everything else is literal.
// Matching is over the whole string (SQL semantics, as MLflow's SQL store runs it), so `.` and
// newlines in values get no special treatment.

const REGEX_SPECIALS = /[\\^$.*+?()[\]{}|/]/;

/** Compiles a LIKE pattern once into a predicate; ILIKE when `caseInsensitive`. */
export function compileLike(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  if (!/[%_]/.test(pattern)) {
    if (!caseInsensitive) return (value) => value === pattern;
  }
  let source = "";
  for (const ch of pattern) {
    if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += REGEX_SPECIALS.test(ch) ? "\\" + ch : ch;
  }
  // `u`: `_` is one code point, not half a surrogate pair; `i` with `u` folds case beyond ASCII.
  const re = new RegExp(`^(?:${source})$`, caseInsensitive ? "iu" : "u");
  return (value) => re.test(value);
}

/** One-off LIKE test; prefer compileLike in loops. */
export function like(value: string, pattern: string, caseInsensitive = false): boolean {
  return compileLike(pattern, caseInsensitive)(value);
}
