// Where a run's artifacts live, behind one small interface: a local folder (file: URIs, shared filesystem)
// or the server's proxied artifact service (mlflow-artifacts: and http(s) URIs). Higher-level operations
// (directories, recursive downloads) are in ops.ts and work on any repository.

import type { FileInfo } from "../types.ts";

export interface ArtifactRepo {
  /** The URI the repository was made for (a run's artifact_uri). */
  readonly rootUri: string;
  /** Stores a local file at `artifactFile` (a clean relative path, file name included). */
  uploadFile(localFile: string, artifactFile: string): Promise<void>;
  uploadBytes(bytes: Uint8Array<ArrayBuffer>, artifactFile: string): Promise<void>;
  /** Direct children of `dir` ("" = root), paths relative to the root, sorted; [] for a file or nothing. */
  list(dir: string): Promise<FileInfo[]>;
  /** Copies one artifact file to `localFile` (parent folders must exist). */
  downloadFile(artifactFile: string, localFile: string): Promise<void>;
}
