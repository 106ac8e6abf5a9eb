// Runs the logged-model and registry contract through the store proxy `tracker server -w N` Workers use
// (src/store/remote), in front of the real KV store: every new store method must pass through it.
import { join } from "node:path";
import type { FullStore } from "../../src/store/model-store.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { RpcPeer, serveStore, STORE_TARGET } from "../../src/store/remote/mod.ts";
import { modelStoreContract } from "./model_store_contract.ts";

async function openRemote(dir: string): Promise<FullStore> {
  const owner = await openKvStore({
    path: join(dir, "tracker.kv.sqlite3"),
    defaultArtifactRoot: "mlflow-artifacts:/",
  });
  const { port1, port2 } = new MessageChannel();
  const host = new RpcPeer(port1);
  serveStore(host, owner);
  const workerSide = new RpcPeer(port2);
  return workerSide.remote<FullStore>(STORE_TARGET, {
    close: async () => {
      workerSide.close();
      host.close();
      port1.close();
      port2.close();
      await owner.close();
    },
  });
}

modelStoreContract("remote models", { open: openRemote, reopenable: true });
