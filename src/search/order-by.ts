// Splits one order_by item (`metrics.`my key` DESC`) into identifier parts and direction.

import { invalidParam } from "../errors.ts";
import { tokenize } from "./lexer.ts";

export interface RawOrderItem {
  entity?: string;
  key: string;
  ascending: boolean;
}

/**
 * MLflow turns backticks into double quotes and shell-splits the item, so quotes vanish wherever
 * they appear in the identifier (`` `metrics`.`a b` `` → `metrics.a b`). We do the same removal.
 */
function removeQuotes(text: string, item: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] === "`" ? '"' : text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === "\\" && /["\\$`]/.test(text[i + 1] ?? "")) out += text[++i];
      else out += text[i];
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "\\" && i + 1 < text.length) {
      out += text[++i];
    } else {
      out += ch;
    }
  }
  if (quote) throw invalidParam(`Invalid order_by clause '${item}': unbalanced quotes.`);
  return out;
}

export function parseOrderItem(item: string): RawOrderItem {
  const bad = () =>
    invalidParam(
      `Invalid order_by clause '${item}'. Expected '<identifier> [ASC|DESC]', e.g. 'metrics.loss DESC'.`,
    );
  const tokens = tokenize(item.trim()).filter((t) => t.kind !== "ws");
  // An identifier is the tokens up to an optional trailing direction word.
  let ascending = true;
  const last = tokens[tokens.length - 1];
  if (tokens.length > 1 && last.kind === "word" && /^(asc|desc)$/i.test(last.text)) {
    const prev = tokens[tokens.length - 2];
    if (prev.kind !== "dot") {
      ascending = last.text.toLowerCase() === "asc";
      tokens.pop();
    }
  }
  if (tokens.length === 0) throw bad();
  // The identifier must be one unbroken `part(.part)*` chain, as in filters.
  const nameKinds = new Set(["word", "backtick", "double", "single"]);
  if (!nameKinds.has(tokens[0].kind) || tokens[0].kind === "single") throw bad();
  for (let i = 1; i < tokens.length; i++) {
    const expectDot = i % 2 === 1;
    if (expectDot ? tokens[i].kind !== "dot" : !nameKinds.has(tokens[i].kind)) {
      if (tokens[i].kind === "word" && i === tokens.length - 1 && tokens[i - 1].kind !== "dot") {
        throw invalidParam(
          `Invalid ordering '${tokens[i].text}' in order_by clause '${item}'; use ASC or DESC.`,
        );
      }
      throw bad();
    }
  }
  const start = tokens[0].start;
  const end = tokens[tokens.length - 1].start + tokens[tokens.length - 1].text.length;
  const identifier = removeQuotes(item.trim().slice(start, end), item);
  const dot = identifier.indexOf(".");
  if (dot < 0) return { key: identifier, ascending };
  return { entity: identifier.slice(0, dot), key: identifier.slice(dot + 1), ascending };
}
