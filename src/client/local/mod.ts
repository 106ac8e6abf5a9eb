// Local mode (Deno only): the client writes into a folder's store. If a tracker server holds the folder,
// the client talks to it over HTTP (so its UI shows the run live); otherwise it takes the folder's lock and
// opens the store in-process, releasing both on close().

import { mkdirSync } from "node:fs";
import { TrackerError } from "../errors.ts";
import { HttpTransport, type Transport } from "../transport.ts";
import { sleep } from "../retry.ts";
import { EmbeddedTransport } from "./embedded.ts";
import { readLockInfo, tryLock, writeOwner } from "../../store/backend-lock.ts";

export interface LocalOptions {
  /** How long to wait for a server that holds the lock but has not written its URL yet. */
  waitMs?: number;
}

export async function openLocalTransport(dir: string, opts: LocalOptions = {}): Promise<Transport> {
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  for (;;) {
    const lock = tryLock(dir);
    if (lock) {
      writeOwner(lock);
      try {
        return await EmbeddedTransport.open(dir, () => lock.close());
      } catch (e) {
        lock.close();
        throw new TrackerError(`cannot open the store in ${dir}: ${(e as Error).message}`, "INTERNAL_ERROR");
      }
    }
    const info = readLockInfo(dir);
    if (info.url && await answers(info.url)) return new HttpTransport(reachable(info.url));
    if (Date.now() >= deadline) {
      const who = info.owner === "local"
        ? `another program writing in local mode (pid ${info.pid})`
        : `another process${info.pid ? ` (pid ${info.pid})` : ""}`;
      throw new TrackerError(
        `${dir} is in use by ${who}. Wait for it to finish, or start \`tracker ui\` on the folder first ` +
          "and let every program log through it.",
        "RESOURCE_CONFLICT",
      );
    }
    // A server that is starting holds the lock before it writes its URL; a local owner may finish soon.
    await sleep(100);
  }
}

/** A server listening on every interface is reached through loopback. */
function reachable(url: string): string {
  const u = new URL(url);
  if (u.hostname === "0.0.0.0") u.hostname = "127.0.0.1";
  if (u.hostname === "[::]") u.hostname = "[::1]";
  return u.href.replace(/\/+$/, "");
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${reachable(url)}/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
