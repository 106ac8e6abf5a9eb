// Local paths behind the URIs a FileStore holds (`file:///abs/path`, percent-encoded as Python's
// pathlib.as_uri() writes them, or a plain absolute path); other schemes are not local.

import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The local absolute path of `uri`, or null when it names a remote or proxied location. */
export function localPathOf(uri: string): string | null {
  if (uri.startsWith("file:")) {
    try {
      // `file:/abs` and `file:///abs` both occur; a host other than localhost is not local.
      return fileURLToPath(uri.startsWith("file://") ? uri : `file://${uri.slice(5)}`);
    } catch {
      return null;
    }
  }
  if (uri.startsWith("/")) return path.resolve(uri);
  return null;
}

/** `file:///abs/path` for a local path, encoded the way MLflow (pathlib) writes it. */
export function fileUri(p: string): string {
  return pathToFileURL(path.resolve(p)).href;
}

export async function isDir(p: string): Promise<boolean> {
  return (await Deno.stat(p).catch(() => null))?.isDirectory === true;
}
