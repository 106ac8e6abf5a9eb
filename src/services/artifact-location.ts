// Checks a user-supplied experiment artifact_location the way MLflow's server does (handlers.py:
// _validate_storage_location_uri, store/artifact/host_policy.py), plus one hardening of our own: no `..`
// path segment, so a location can never climb out of the tree it names.

import { posix } from "node:path";
import { invalidParam } from "../errors.ts";
import { codePointLength, MAX_ARTIFACT_LOCATION_LENGTH } from "./validation.ts";

export interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
  params: string;
  query: string;
  fragment: string;
}

// Schemes whose last path segment may carry `;params` in Python's urlparse.
const USES_PARAMS = new Set([
  "",
  "ftp",
  "hdl",
  "prospero",
  "http",
  "imap",
  "https",
  "shttp",
  "rtsp",
  "rtsps",
  "rtspu",
  "sip",
  "sips",
  "mms",
  "sftp",
  "tel",
]);

/** Python's urllib.parse.urlparse, enough of it for artifact URIs. */
export function urlparse(url: string): UrlParts {
  let rest = url;
  let scheme = "";
  const colon = rest.indexOf(":");
  if (colon > 0 && /^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = "";
  if (rest.startsWith("//")) {
    const m = /[/?#]/.exec(rest.slice(2));
    const end = m ? m.index + 2 : rest.length;
    netloc = rest.slice(2, end);
    rest = rest.slice(end);
  }
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let path = rest;
  let params = "";
  if (USES_PARAMS.has(scheme)) {
    const lastSlash = path.lastIndexOf("/");
    const semi = path.indexOf(";", lastSlash + 1);
    if (semi >= 0) {
      params = path.slice(semi + 1);
      path = path.slice(0, semi);
    }
  }
  return { scheme, netloc, path, params, query, fragment };
}

/** Percent-decodes until stable (MLflow decodes up to 10 times to see through double encoding). */
export function decodeRepeatedly(s: string): string {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      next = cur.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    }
    if (next === cur) return cur;
    cur = next;
  }
  throw invalidParam("Invalid query string");
}

// Schemes whose repositories connect to the host named in the URI (host_policy.py).
const HOST_ADDRESSED = new Set([
  "ftp",
  "sftp",
  "hdfs",
  "viewfs",
  "http",
  "https",
  "mlflow-artifacts",
  "r2",
  "b2",
  "abfss",
]);
const FAMILY: Record<string, string> = { viewfs: "hdfs", https: "http", "mlflow-artifacts": "http" };
const DEFAULT_PORTS: Record<string, number[]> = {
  ftp: [21],
  sftp: [22],
  http: [80],
  https: [443],
  "mlflow-artifacts": [80, 443],
  r2: [443],
  b2: [443],
  abfss: [443],
};

/** The (family, host, port) targets a URI makes the server connect to; null when it names no host. */
export function hostTargets(uri: string): string[] | null {
  const u = urlparse(uri);
  if (!HOST_ADDRESSED.has(u.scheme)) return null;
  if (u.scheme === "mlflow-artifacts" && !u.netloc) return null;
  if (/[\\\s]/.test(u.netloc)) return [`malformed|${u.netloc}`];
  const hostPort = u.netloc.slice(u.netloc.lastIndexOf("@") + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return [`malformed|${u.netloc}`];
  const host = m[1].replace(/^\[|\]$/g, "").toLowerCase();
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && port > 65535) return [`malformed|${u.netloc}`];
  const family = FAMILY[u.scheme] ?? u.scheme;
  const ports = port !== undefined ? [port] : DEFAULT_PORTS[u.scheme] ?? [undefined];
  return ports.map((p) => `${family}|${host}|${p ?? ""}`);
}

export interface ArtifactLocationPolicy {
  /** URIs whose hosts the server may connect to: its default artifact root and artifacts destination. */
  trustedRoots: string[];
  /** MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES. */
  allowedSchemes: string[];
}

export function validateArtifactLocation(
  value: string,
  policy: ArtifactLocationPolicy,
  field = "artifact_location",
): void {
  const u = urlparse(value);
  if (u.fragment || u.params) throw invalidParam(`'${field}' URL can't include fragments or params.`);
  if (decodeRepeatedly(u.query).includes("..")) throw invalidParam("Invalid query string");
  const targets = hostTargets(value);
  if (targets && !policy.allowedSchemes.map((s) => s.toLowerCase()).includes(u.scheme)) {
    const trusted = new Set(policy.trustedRoots.flatMap((r) => hostTargets(r) ?? []));
    if (!targets.some((t) => trusted.has(t))) {
      throw invalidParam(
        `'${field}' cannot use the '${u.scheme}' scheme: the '${u.scheme}' scheme addresses a host other ` +
          "than the tracking server's configured artifact storage, so the server would connect to the host " +
          "named in the URI. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on " +
          "the server to allow it.",
      );
    }
  }
  if (value.startsWith("runs:")) {
    throw invalidParam(`Artifact location cannot be a runs:/ URI. Given: '${value}'`);
  }
  if (decodeRepeatedly(u.path).split(/[/\\]/).includes("..")) {
    throw invalidParam(`'${field}' must not contain '..' path segments.`);
  }
  checkArtifactLocationLength(value);
}

export function checkArtifactLocationLength(value: string): void {
  if (codePointLength(value) > MAX_ARTIFACT_LOCATION_LENGTH) {
    throw invalidParam(
      "Invalid artifact path length. The length of the artifact path cannot be greater than " +
        `${MAX_ARTIFACT_LOCATION_LENGTH} characters. To configure this limit, please set the ` +
        "MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH environment variable.",
    );
  }
}

/** A relative local path becomes absolute against the server's working directory, as MLflow stores it. */
export function resolveIfLocal(value: string, cwd: string): string {
  const u = urlparse(value);
  if (u.scheme === "" && !value.startsWith("/")) return posix.join(cwd, value);
  return value;
}
