// Tokenizer for MLflow search filters and order_by items.
// MLflow tokenizes with sqlparse; the token shapes below (string, number and name rules) follow its
// regular expressions so the same texts split the same way, but only the subset a filter can use.

export type TokenKind =
  | "ws"
  | "word" // bare word: identifier part or keyword (AND, IN, LIKE, ...)
  | "backtick" // `quoted name`
  | "single" // 'string'
  | "double" // "string" (a value, or a quoted name in key position)
  | "number"
  | "dot"
  | "lparen"
  | "rparen"
  | "comma"
  | "op" // run of comparison characters: = != <> >= ...
  | "other"; // anything else; always an error where it appears

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  /** For numbers: whether the literal is an integer (no dot, no exponent). */
  integer?: boolean;
}

// Python's `\w` in str patterns: Unicode letters and numbers plus underscore (no combining marks).
const WORD = /[\p{L}\p{N}_][\p{L}\p{N}_$#]*/uy;
// Characters that must not directly follow a number for it to count as one (`1abc` is a word).
const NUMBER_TAIL = "(?![_A-Za-zÀ-Üà-ü])";
const HEX = /-?0x[0-9a-f]+/iy;
const EXP_FLOAT = /-?\d+(\.\d+)?e-?\d+/iy;
const FLOAT = new RegExp(`-?(\\d+\\.\\d*|\\.\\d+)${NUMBER_TAIL}`, "y");
const INTEGER = new RegExp(`-?\\d+${NUMBER_TAIL}`, "y");
const SINGLE = /'(?:''|\\'|[^'])*'/y;
const DOUBLE = /"(?:""|\\"|[^"])*"/y;
const BACKTICK = /`(?:``|[^`])*`/y;
const OP = /[<>=~!]+/y;
const WS = /\s+/y;
// SQL comments are not part of the grammar; they become one `other` token so they are reported whole.
const LINE_COMMENT = /(?:--|# ).*?(?:\r\n|\r|\n|$)/y;

/** A closed block comment at `pos`; found with indexOf so many unclosed `/*` cannot cost O(n²). */
function blockComment(text: string, pos: number, closeFrom: { at: number }): string | undefined {
  if (!text.startsWith("/*", pos)) return undefined;
  if (closeFrom.at < pos + 2 && closeFrom.at !== -1) closeFrom.at = text.indexOf("*/", pos + 2);
  return closeFrom.at === -1 ? undefined : text.slice(pos, closeFrom.at + 2);
}

function matchAt(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const close = { at: -2 }; // next `*/` at or after the last block-comment start; -1 when none is left
  let pos = 0;
  while (pos < text.length) {
    const start = pos;
    const push = (kind: TokenKind, s: string, integer?: boolean) => {
      tokens.push(integer === undefined ? { kind, text: s, start } : { kind, text: s, start, integer });
      pos += s.length;
    };
    let m: string | undefined;
    if ((m = matchAt(WS, text, pos))) push("ws", m);
    else if ((m = matchAt(LINE_COMMENT, text, pos) ?? blockComment(text, pos, close))) push("other", m);
    else if ((m = matchAt(BACKTICK, text, pos))) push("backtick", m);
    else if ((m = matchAt(HEX, text, pos)) && !/[\p{L}\p{N}_]/u.test(text[pos + m.length] ?? "")) {
      push("other", m);
    } else if ((m = matchAt(EXP_FLOAT, text, pos))) push("number", m, false);
    else if ((m = matchAt(FLOAT, text, pos))) push("number", m, false);
    else if ((m = matchAt(INTEGER, text, pos))) push("number", m, true);
    else if ((m = matchAt(SINGLE, text, pos))) push("single", m);
    else if ((m = matchAt(DOUBLE, text, pos))) push("double", m);
    else if ((m = matchAt(WORD, text, pos))) push("word", m);
    else if ((m = matchAt(OP, text, pos))) push("op", m);
    else {
      const ch = String.fromCodePoint(text.codePointAt(pos)!);
      const kind: TokenKind = ch === "."
        ? "dot"
        : ch === "("
        ? "lparen"
        : ch === ")"
        ? "rparen"
        : ch === ","
        ? "comma"
        : "other";
      push(kind, ch);
    }
  }
  return tokens;
}

/** True for `'x'` / `"x"` wrapped values (MLflow strips exactly one pair of either). */
export function isQuoted(s: string, q: string): boolean {
  return s.length >= 2 && s.startsWith(q) && s.endsWith(q);
}

/** Strips one pair of surrounding single or double quotes, then one pair of backticks (MLflow key rule). */
export function unquoteKey(raw: string): string {
  let key = raw;
  if (isQuoted(key, "'") || isQuoted(key, '"')) key = key.slice(1, -1);
  if (isQuoted(key, "`")) key = key.slice(1, -1);
  return key;
}
