// Runs the shared store contract against the Deno KV backend on a real file.
import { join } from "node:path";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { trackingStoreContract } from "./tracking_store_contract.ts";

trackingStoreContract("kv", {
  open: (dir) =>
    openKvStore({ path: join(dir, "tracker.kv.sqlite3"), defaultArtifactRoot: "mlflow-artifacts:/" }),
  reopenable: true,
});
