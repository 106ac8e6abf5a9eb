// Browser-facing protections of the server (security-cases.md: CVE-2023-43472, DNS rebinding; CVE-2025-1473,
// CSRF), in the shape MLflow 3.5+ gives them (--allowed-hosts, --cors-allowed-origins):
// - Host check: a page on evil.example whose name is rebound to 127.0.0.1 talks to the server "same-origin"
//   but still sends `Host: evil.example`; only loopback, private-network and configured host names pass.
// - Cross-origin state changes: POST/PUT/PATCH/DELETE to the API carrying an `Origin` that is neither the
//   server's own, a localhost origin, nor a configured one are refused.
// Both answer 403 with an MLflow-style JSON error. `/health` stays reachable for probes.

import type { MiddlewareHandler } from "hono";

export interface SecurityGuardOptions {
  /** Host header values (`name`, `name:port`, or `*` patterns) on top of the defaults; `*` disables the check. */
  allowedHosts?: string[];
  /** Origins (exact or `*` patterns) allowed to change state cross-origin; `*` disables the check. */
  allowedOrigins?: string[];
  staticPrefix?: string;
  /** X-Frame-Options value (default SAMEORIGIN; "NONE" sends none). */
  frameOptions?: string;
}

export const INVALID_HOST_MESSAGE = "Invalid Host header - possible DNS rebinding attack detected";
export const CROSS_ORIGIN_MESSAGE = "Cross-origin request blocked";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Splits `host[:port]` (IPv6 in brackets) into the lower-cased host name and the port text. */
export function splitHost(value: string): { name: string; port: string } {
  const v = value.trim().toLowerCase();
  const m = /^\[([^\]]*)\](?::(\d*))?$/.exec(v) ?? /^([^:]*)(?::(\d*))?$/.exec(v);
  if (!m) return { name: v, port: "" }; // a bare IPv6 address or garbage: compared as a whole
  return { name: m[1], port: m[2] ?? "" };
}

function ipv4(name: string): number[] | undefined {
  const parts = name.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** Loopback and private-network names any port: MLflow's default allowed hosts (plus all of 127/8). */
export function isDefaultAllowedHost(name: string): boolean {
  if (name === "localhost" || name === "::1" || name === "0.0.0.0") return true;
  const ip = ipv4(name);
  if (ip) {
    const [a, b] = ip;
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  return /^f[cd][0-9a-f]{0,2}:/.test(name); // fc00::/7
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    "^" +
      pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".") +
      "$",
  );
  return re.test(value.toLowerCase());
}

export function isAllowedHost(hostHeader: string | undefined, allowed: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  if (allowed.includes("*")) return true;
  if (isDefaultAllowedHost(splitHost(hostHeader).name)) return true;
  const h = hostHeader.trim().toLowerCase();
  return allowed.some((
    a,
  ) => (a.includes("*") ? globMatch(a, h) : a.toLowerCase() === h || a.toLowerCase() === splitHost(h).name));
}

const LOCALHOST_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** Whether a state-changing request with this Origin may go through. */
export function isAllowedOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowed: readonly string[] = [],
): boolean {
  if (!origin) return true; // not a browser cross-origin request (same-origin GETs and clients send none)
  if (allowed.includes("*") || LOCALHOST_ORIGIN.test(origin)) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and garbage
  }
  if (hostHeader && u.host.toLowerCase() === hostHeader.trim().toLowerCase()) return true; // same origin
  return allowed.some((a) => (a.includes("*") ? globMatch(a, origin) : a === origin));
}

function isApiPath(path: string, prefix: string): boolean {
  const rest = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return rest.startsWith("/api/") || rest.startsWith("/ajax-api/") || rest.startsWith("/model-versions/") ||
    rest === "/get-artifact";
}

export function securityGuard(opts: SecurityGuardOptions = {}): MiddlewareHandler {
  const prefix = opts.staticPrefix ?? "";
  const frame = (opts.frameOptions ?? "SAMEORIGIN").toUpperCase();
  return async (c, next) => {
    const url = new URL(c.req.url);
    const path = url.pathname;
    // Deno.serve builds the URL from the Host header; in-process requests (tests) may carry only the URL.
    const host = c.req.header("host") ?? url.host;
    const deny = (message: string) => c.json({ error_code: "PERMISSION_DENIED", message }, 403);
    if (path !== `${prefix}/health` && !isAllowedHost(host, opts.allowedHosts)) {
      return deny(INVALID_HOST_MESSAGE);
    }
    if (
      STATE_CHANGING.has(c.req.method) && isApiPath(path, prefix) &&
      !isAllowedOrigin(c.req.header("origin"), host, opts.allowedOrigins)
    ) {
      return deny(CROSS_ORIGIN_MESSAGE);
    }
    await next();
    if (frame !== "NONE") c.header("X-Frame-Options", frame);
  };
}
