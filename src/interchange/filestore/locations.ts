// Artifact locations that move between stores: when runs' and logged models' artifacts are copied, a
// model version's storage location that pointed inside them must point at the copies.

import { fileUri, localPathOf } from "./local-uri.ts";

/** Local paths in any spelling (`/a`, `file:/a`, `file:///a`) become one `file:///a` form. */
function normal(uri: string): string {
  const local = localPathOf(uri);
  return (local === null ? uri : fileUri(local)).replace(/\/+$/, "");
}

export class LocationMap {
  readonly #pairs = new Map<string, string>();

  /** Everything at or under `from` is at the same relative path under `to`. */
  add(from: string, to: string): void {
    this.#pairs.set(normal(from), to.replace(/\/+$/, ""));
  }

  /** `uri` moved by the longest matching entry; unchanged when none applies. */
  map(uri: string): string {
    const u = normal(uri);
    let best: string | undefined;
    for (const from of this.#pairs.keys()) {
      if ((u === from || u.startsWith(from + "/")) && (!best || from.length > best.length)) best = from;
    }
    return best === undefined ? uri : this.#pairs.get(best)! + u.slice(best.length);
  }
}
