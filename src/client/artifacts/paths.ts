// Artifact paths inside a run: "/"-separated, relative, without "." or ".." segments. Paths that come
// back from a server are checked the same way before they name a local file.

import { TrackerError } from "../errors.ts";

/** Normalises a user- or server-given artifact path; "" is the root. Throws on escaping paths. */
export function cleanArtifactPath(path: string | undefined): string {
  if (path === undefined) return "";
  const raw = path.replaceAll("\\", "/");
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) throw badPath(path);
  const parts = raw.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw badPath(path);
  return parts.join("/");
}

export function joinArtifactPath(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== "").join("/");
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function badPath(path: string): TrackerError {
  return new TrackerError(
    `Invalid artifact path '${path}': use a relative path without '..'`,
    "INVALID_PARAMETER_VALUE",
  );
}
