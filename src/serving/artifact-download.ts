// Downloads a model directory through a tracking server's proxied artifact service
// (`/api/2.0/mlflow-artifacts/artifacts`): a recursive listing, then one GET per file. Every listed name is
// checked before it becomes a local path, so a hostile server cannot make us write outside the target.

import * as path from "node:path";
import type { TrackingClient } from "./tracking-client.ts";

interface Listing {
  files?: { path: string; is_dir?: boolean; file_size?: number | string }[];
}

function safeName(name: string): string {
  const base = name.split("/").pop() ?? "";
  if (base === "" || base === "." || base === ".." || base.includes("\\") || base.includes("\0")) {
    throw new Error(`the artifact server listed an unsafe file name '${name}'`);
  }
  return base;
}

/** Copies `<artifact path>/` from the proxy into `dest`; returns the number of files written. */
export async function downloadArtifactDir(
  client: TrackingClient,
  artifactPath: string,
  dest: string,
  depth = 0,
): Promise<number> {
  if (depth > 32) throw new Error("artifact directory nesting is too deep");
  const base = artifactPath.replace(/^\/+|\/+$/g, "");
  const listing = await client.getJson<Listing>(
    `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(base)}`,
  );
  let count = 0;
  await Deno.mkdir(dest, { recursive: true });
  for (const f of listing.files ?? []) {
    const name = safeName(f.path);
    const remote = base === "" ? name : `${base}/${name}`;
    const local = path.join(dest, name);
    if (f.is_dir) {
      count += await downloadArtifactDir(client, remote, local, depth + 1);
      continue;
    }
    const res = await client.get(
      `/api/2.0/mlflow-artifacts/artifacts/${remote.split("/").map(encodeURIComponent).join("/")}`,
    );
    if (!res.ok || !res.body) throw new Error(`downloading ${remote} failed with HTTP ${res.status}`);
    const file = await Deno.open(local, { write: true, create: true, truncate: true });
    await res.body.pipeTo(file.writable);
    count++;
  }
  return count;
}
