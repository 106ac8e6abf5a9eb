// The TrackingStore seen from a Worker: Deno KV allows one writer per file, so the main thread owns
// the real store and Workers reach it through this proxy (see notes/deno-measured.md, 1e).

import type { TrackingStore } from "../tracking-store.ts";
import type { RpcPeer } from "./rpc.ts";

export { RpcPeer } from "./rpc.ts";
export type { Endpoint } from "./rpc.ts";

export const STORE_TARGET = "store";

/** Owner side: answers store calls arriving on `peer`. Only the owner may close the store. */
export function serveStore(peer: RpcPeer, store: TrackingStore): void {
  peer.expose(STORE_TARGET, store, ["close"]);
}

/**
 * Worker side: a TrackingStore whose every method runs on the owner. `close()` only detaches this
 * Worker; the owner decides when the real store closes.
 */
export function remoteStore(peer: RpcPeer): TrackingStore {
  return peer.remote<TrackingStore>(STORE_TARGET, {
    close: () => {
      peer.close("store proxy closed");
      return Promise.resolve();
    },
  });
}
