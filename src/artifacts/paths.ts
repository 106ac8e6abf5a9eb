// Path safety for artifact requests. Two layers, both always applied:
// 1. `validatePathIsSafe`: the user-given relative path, judged as text (MLflow's `validate_path_is_safe`).
// 2. `resolveInside`: the path joined to a root on disk, with symlinks resolved, proven to stay under it.
// Layer 1 alone cannot see symlinks; layer 2 alone would accept odd spellings MLflow rejects.

import * as path from "node:path";
import { invalidParam } from "../errors.ts";

/** A relative artifact path that passed `validatePathIsSafe` (decoded, no traversal). */
export type SafePath = string & { readonly __safePath: true };

const INVALID = "Invalid path";
const MAX_DECODE_ROUNDS = 10;

/**
 * Decodes `raw` until it stops changing and rejects anything that could leave the root it will be
 * joined to: `#`, backslashes, `..` segments, absolute POSIX or Windows paths, drive letters and `file:`
 * URIs. Returns the decoded path, which is what must be used from then on.
 */
export function validatePathIsSafe(raw: string): SafePath {
  let p = decodeFully(raw);
  // Decoded control characters are kept as their escapes so they never reach a file name.
  // deno-lint-ignore no-control-regex
  p = p.replace(/[\x00-\x1f\x7f]/g, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0"));
  if (
    p.includes("#") ||
    p.includes("\\") ||
    /^file:/i.test(p) ||
    p.split("/").includes("..") ||
    p.startsWith("/") ||
    /^[A-Za-z]:/.test(p)
  ) {
    throw invalidParam(INVALID);
  }
  return p as SafePath;
}

/** Percent-decodes repeatedly, as double-encoded traversal (`%252e%252e%252f`) must be seen decoded. */
function decodeFully(raw: string): string {
  let cur = raw;
  for (let i = 0; i < MAX_DECODE_ROUNDS; i++) {
    const next = percentDecode(cur);
    if (next === cur) return cur;
    cur = next;
  }
  throw invalidParam(INVALID);
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Lenient percent-decoding: malformed escapes stay as they are, invalid UTF-8 becomes U+FFFD. */
export function percentDecode(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8.decode(bytes);
  });
}

/** Normalised form of a safe path for joining and reporting: no `.`, empty or trailing segments. */
export function normalizeSafePath(p: SafePath): SafePath {
  return p.split("/").filter((s) => s !== "" && s !== ".").join("/") as SafePath;
}

/** True when `child` is `parent` or below it (both absolute and normalised). */
export function isWithin(parent: string, child: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(prefix);
}

/**
 * Joins `rel` to `root` and returns the real path of the result (symlinks resolved; missing trailing
 * components appended as given). Throws Invalid path when the result, or the real path of its deepest
 * existing ancestor, is outside the real root, or when a dangling symlink is on the way.
 */
export async function resolveInside(root: string, rel: SafePath): Promise<string> {
  const absRoot = path.resolve(root);
  const lexical = path.resolve(absRoot, normalizeSafePath(rel));
  if (!isWithin(absRoot, lexical)) throw invalidParam(INVALID);
  const [realRoot, realTarget] = await Promise.all([
    realPathAllowMissing(absRoot),
    realPathAllowMissing(lexical),
  ]);
  if (!isWithin(realRoot, realTarget)) {
    throw invalidParam("Invalid path: resolved path is outside the artifact root");
  }
  return realTarget;
}

/** Throws Invalid path unless the existing `p`, symlinks resolved, is under the real `root`. */
export async function assertInside(root: string, p: string): Promise<void> {
  const [realRoot, real] = await Promise.all([realPathAllowMissing(path.resolve(root)), Deno.realPath(p)]);
  if (!isWithin(realRoot, real)) {
    throw invalidParam("Invalid path: resolved path is outside the artifact root");
  }
}

/** `realpath`, except that components that do not exist yet are appended to their real parent. */
export async function realPathAllowMissing(p: string): Promise<string> {
  try {
    return await Deno.realPath(p);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
  }
  // A link whose target is missing would be followed by a later create: refuse rather than guess.
  const link = await Deno.lstat(p).catch(() => null);
  if (link?.isSymlink) throw invalidParam(INVALID);
  const parent = path.dirname(p);
  if (parent === p) return p;
  return path.join(await realPathAllowMissing(parent), path.basename(p));
}
