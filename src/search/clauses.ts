// Splits a filter string into raw `<identifier> <comparator> <value>` clauses.
// Shared by the runs and experiments grammars; which identifiers, comparators and value kinds are
// allowed is decided by their parsers (parse-runs.ts, parse-experiments.ts).

import { invalidParam } from "../errors.ts";
import { type Token, tokenize } from "./lexer.ts";

export type RawValue =
  | { kind: "number"; text: string; integer: boolean }
  | { kind: "string"; text: string }
  /** A bare word or backticked name where a value belongs: MLflow rejects it as an unquoted string. */
  | { kind: "unquoted"; text: string }
  | { kind: "list"; text: string; items: string[] }
  | { kind: "none" };

export interface RawClause {
  /** The identifier exactly as written, e.g. ``metrics.`my key` `` or `run_id`. */
  identifier: string;
  /** Upper-cased keyword comparators (`LIKE`, `NOT IN`, `IS NULL`) or the operator as written (`>=`). */
  comparator: string;
  value: RawValue;
}

const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "RLIKE", "REGEXP"]);
const WORD_COMPARATORS = new Set(["LIKE", "ILIKE", "RLIKE", "REGEXP"]);

class Cursor {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    let seen = 0;
    for (let j = this.i; j < this.tokens.length; j++) {
      if (this.tokens[j].kind === "ws") continue;
      if (seen++ === offset) return this.tokens[j];
    }
    return undefined;
  }
  /** Next token including whitespace. */
  raw(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token | undefined {
    while (this.tokens[this.i]?.kind === "ws") this.i++;
    return this.tokens[this.i++];
  }
}

const upper = (t: Token | undefined) => t?.kind === "word" ? t.text.toUpperCase() : undefined;

function unexpected(filter: string, t: Token | undefined, what: string): never {
  const found = t ? `'${t.text}' at position ${t.start}` : "end of filter";
  throw invalidParam(`Invalid filter '${filter}': expected ${what}, found ${found}.`);
}

/**
 * Reads an identifier: a name (word, `backticked` or "double-quoted"), optionally followed by `.part`s.
 * Whitespace may follow a dot (MLflow keeps it as part of the key) but not precede one.
 */
function readIdentifier(c: Cursor): string | undefined {
  const first = c.peek();
  if (!first) return undefined;
  const startsName = first.kind === "backtick" || first.kind === "double" ||
    (first.kind === "word" && (!KEYWORDS.has(first.text.toUpperCase()) || c.peek(1)?.kind === "dot"));
  if (!startsName) return undefined;
  let text = c.next()!.text;
  while (c.raw()?.kind === "dot") {
    text += c.next()!.text;
    let j = c.i;
    while (c.tokens[j]?.kind === "ws") j++;
    const part = c.tokens[j];
    const spaced = j > c.i;
    const isName = part && ["word", "backtick", "double", "single"].includes(part.kind) &&
      !(spaced && part.kind === "word" && KEYWORDS.has(part.text.toUpperCase()));
    if (isName) {
      text += c.tokens.slice(c.i, j + 1).map((t) => t.text).join("");
      c.i = j + 1;
    } // else: a trailing dot, as in `params.`; MLflow reads it as an empty key.
  }
  return text;
}

function readComparator(c: Cursor, filter: string): string {
  const t = c.next();
  if (t?.kind === "op") return t.text;
  const word = upper(t);
  if (word && WORD_COMPARATORS.has(word)) return word;
  if (word === "IN") return "IN";
  if (word === "NOT") {
    const second = upper(c.peek());
    if (second === "IN" || (second && WORD_COMPARATORS.has(second))) {
      c.next();
      return `NOT ${second}`;
    }
  }
  if (word === "IS") {
    const second = upper(c.peek());
    if (second === "NULL") {
      c.next();
      return "IS NULL";
    }
    if (second === "NOT" && upper(c.peek(1)) === "NULL") {
      c.next();
      c.next();
      return "IS NOT NULL";
    }
  }
  return unexpected(filter, t, "a comparison operator");
}

function readValue(c: Cursor, filter: string): RawValue {
  const t = c.next();
  switch (t?.kind) {
    case "number":
      return { kind: "number", text: t.text, integer: t.integer ?? false };
    case "single":
    case "double":
      return { kind: "string", text: t.text.slice(1, -1) };
    case "word":
    case "backtick":
      if (!KEYWORDS.has(t.text.toUpperCase())) return { kind: "unquoted", text: t.text };
      break;
    case "lparen":
      return readList(c, t, filter);
  }
  return unexpected(filter, t, "a value");
}

/** Reads `('a', "b", ...)`: string literals only, read like Python literals as MLflow does. */
function readList(c: Cursor, open: Token, filter: string): RawValue {
  const items: string[] = [];
  let pending: string | undefined; // adjacent literals concatenate, as in Python
  for (;;) {
    const t = c.next();
    if (!t) unexpected(filter, t, "')' to close the list");
    if (t.kind === "single" || t.kind === "double") {
      pending = (pending ?? "") + unescapePython(t.text.slice(1, -1));
    } else if (t.kind === "comma" && pending !== undefined) {
      items.push(pending);
      pending = undefined;
    } else if (t.kind === "rparen") {
      if (pending !== undefined) items.push(pending);
      if (items.length === 0) {
        throw invalidParam(`Invalid filter '${filter}': a list must hold at least one quoted string.`);
      }
      return { kind: "list", text: filter.slice(open.start, t.start + 1), items };
    } else {
      throw invalidParam(
        `Invalid filter '${filter}': a list may only hold quoted strings separated by commas, ` +
          `found '${t.text}'.`,
      );
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

function unescapePython(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (all, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return SIMPLE_ESCAPES[e] ?? all;
  });
}

/** Parses a filter into clauses; empty or blank filters give none. AND separators are optional, as in MLflow. */
export function parseClauses(filter: string | undefined): RawClause[] {
  if (!filter || filter.trim() === "") return [];
  const c = new Cursor(tokenize(filter));
  const clauses: RawClause[] = [];
  for (;;) {
    while (upper(c.peek()) === "AND") c.next();
    if (!c.peek()) return clauses;
    const identifier = readIdentifier(c);
    if (identifier === undefined) {
      const t = c.peek()!;
      const hint = upper(t) === "OR"
        ? " Only conjunctions (AND) of comparisons are supported."
        : t.kind === "lparen"
        ? " Parentheses are only allowed around IN lists."
        : "";
      throw invalidParam(`Invalid filter '${filter}': unexpected '${t.text}' at position ${t.start}.${hint}`);
    }
    const comparator = readComparator(c, filter);
    const value: RawValue = comparator === "IS NULL" || comparator === "IS NOT NULL"
      ? { kind: "none" }
      : readValue(c, filter);
    clauses.push({ identifier, comparator, value });
  }
}
