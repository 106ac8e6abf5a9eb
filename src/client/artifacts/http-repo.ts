// Artifacts behind the server's proxied artifact service (spec §7.2): PUT/GET/list under
// <server>/api/2.0/mlflow-artifacts/artifacts/<root>/<path>.

import { open, stat } from "node:fs/promises";
import type { ApiCaller } from "../http.ts";
import { TrackerError } from "../errors.ts";
import type { FileInfo } from "../types.ts";
import { fileInfoSchema } from "../wire.ts";
import { z } from "zod";
import { guessMime } from "./mime.ts";
import { baseName, cleanArtifactPath, joinArtifactPath } from "./paths.ts";
import type { ArtifactRepo } from "./repo.ts";

export const ARTIFACT_SERVICE = "/api/2.0/mlflow-artifacts/artifacts";

const listing = z.object({ files: z.array(fileInfoSchema).default([]) });

export class HttpArtifactRepo implements ArtifactRepo {
  /**
   * @param serviceUrl `<server>/api/2.0/mlflow-artifacts/artifacts`
   * @param rootPath the run's folder under the artifacts destination, e.g. `1/<run_id>/artifacts`
   */
  constructor(
    readonly rootUri: string,
    private readonly caller: ApiCaller,
    private readonly serviceUrl: string,
    private readonly rootPath: string,
  ) {}

  private url(path: string): string {
    const full = joinArtifactPath(this.rootPath, path);
    return `${this.serviceUrl}/${full.split("/").map(encodeURIComponent).join("/")}`;
  }

  async uploadFile(localFile: string, artifactFile: string): Promise<void> {
    const url = this.url(artifactFile);
    const { size } = await stat(localFile);
    const headers = new Headers(this.caller.headers);
    headers.set("content-type", guessMime(artifactFile));
    const res = await this.caller.retried(
      url,
      (signal) => this.caller.transport.putFile(url, localFile, size, headers, signal),
    );
    await drain(await this.caller.checked(res, `upload of ${artifactFile}`));
  }

  async uploadBytes(bytes: Uint8Array<ArrayBuffer>, artifactFile: string): Promise<void> {
    const res = await this.caller.request("PUT", this.url(artifactFile), bytes, {
      "content-type": guessMime(artifactFile),
    });
    await drain(res);
  }

  async list(dir: string): Promise<FileInfo[]> {
    const path = joinArtifactPath(this.rootPath, dir);
    const q = path ? `?${new URLSearchParams({ path })}` : "";
    const res = await this.caller.request("GET", this.serviceUrl + q);
    const parsed = listing.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      throw new TrackerError(
        "the artifact service answered a listing with an unexpected body",
        "INTERNAL_ERROR",
      );
    }
    // The service answers with base names; each is re-checked before it can name a local file.
    return parsed.data.files
      .map((f) => ({ ...f, path: joinArtifactPath(dir, cleanArtifactPath(baseName(f.path))) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadFile(artifactFile: string, localFile: string): Promise<void> {
    const res = await this.caller.request("GET", this.url(artifactFile));
    const file = await open(localFile, "w");
    try {
      if (res.body) { for await (const chunk of res.body) await file.write(chunk); }
    } finally {
      await file.close();
    }
  }
}

async function drain(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}
