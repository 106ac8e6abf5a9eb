// Orderings that match MLflow's server: strings by code point (Python and SQLite order),
// experiment ids numerically when both are integers (the SQL store's integer column).

/** Code point order; JS `<` compares UTF-16 units, which misorders astral vs. U+E000–U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return a.codePointAt(i)! - b.codePointAt(i)!;
  }
  return a.length - b.length;
}

const DIGITS = /^\d+$/;

/** Integer ids compare by value (exact for 18-digit ids beyond 2^53); others fall back to strings. */
export function compareIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = a.replace(/^0+(?=\d)/, "");
    const y = b.replace(/^0+(?=\d)/, "");
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareStrings(a, b);
}
