// Offset page tokens in MLflow's format: base64 of `{"offset": N}`. Clients treat them as opaque,
// but keeping MLflow's bytes lets tokens from either server be read by the other.

import { invalidParam } from "../errors.ts";

export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new Error(`bad page offset ${offset}`);
  return btoa(`{"offset": ${offset}}`);
}

/** Start offset for a page token; absent or empty means the first page. Bad tokens are 400s. */
export function decodePageToken(token?: string | null): number {
  if (!token) return 0;
  let text: string;
  try {
    text = atob(token.trim());
  } catch {
    throw invalidParam(`Invalid page token '${token}': not base64.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParam(`Invalid page token '${token}': not a JSON document.`);
  }
  const raw = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>).offset
    : undefined;
  // MLflow accepts the offset as an integer or an integer string; zero is never issued.
  const offset = typeof raw === "number"
    ? raw
    : typeof raw === "string" && /^\s*\d+\s*$/.test(raw)
    ? Number(raw)
    : NaN;
  if (!Number.isSafeInteger(offset) || offset <= 0) {
    throw invalidParam(`Invalid page token '${token}': no positive integer offset.`);
  }
  return offset;
}
