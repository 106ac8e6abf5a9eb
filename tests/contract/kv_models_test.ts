// Runs the shared logged-model and registry contract against the Deno KV backend on a real file.
import { join } from "node:path";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { modelStoreContract } from "./model_store_contract.ts";

modelStoreContract("kv models", {
  open: (dir) =>
    openKvStore({ path: join(dir, "tracker.kv.sqlite3"), defaultArtifactRoot: "mlflow-artifacts:/" }),
  reopenable: true,
});
