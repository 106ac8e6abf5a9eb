// Method calls across a postMessage boundary (main thread <-> Worker). Either side can expose objects
// by name and call the other side's; values travel by structured clone, so NaN, Infinity, Maps and
// Dates survive. MlflowErrors keep their code, other errors arrive as plain Errors with the message.

import { MlflowError } from "../../errors.ts";
import type { ErrorCode } from "../../errors.ts";

/** What a Worker and a Worker's global scope (and MessagePort) have in common. */
export interface Endpoint {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

interface CallMessage {
  kind: "rpc-call";
  id: number;
  target: string;
  method: string;
  args: unknown[];
}

interface ErrorPayload {
  name: string;
  message: string;
  code?: string;
}

interface ResultMessage {
  kind: "rpc-result";
  id: number;
  ok: boolean;
  value?: unknown;
  error?: ErrorPayload;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

// Methods every object inherits; exposing them would let a caller reach Object's internals.
const FORBIDDEN = new Set(Object.getOwnPropertyNames(Object.prototype));

export class RpcPeer {
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #exposed = new Map<string, { obj: object; deny: ReadonlySet<string> }>();
  #closed = false;
  readonly #listener = (event: MessageEvent) => this.#onMessage(event.data);

  constructor(readonly endpoint: Endpoint) {
    endpoint.addEventListener("message", this.#listener);
    // A MessagePort only delivers once started; Workers start on their own.
    (endpoint as { start?: () => void }).start?.();
  }

  /** Makes `obj`'s methods callable from the other side under `name`, except those in `deny`. */
  expose(name: string, obj: object, deny: string[] = []): void {
    this.#exposed.set(name, { obj, deny: new Set(deny) });
  }

  /** Calls `target.method(...args)` on the other side. */
  call(target: string, method: string, args: unknown[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error(`rpc channel closed (${target}.${method})`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const msg: CallMessage = { kind: "rpc-call", id, target, method, args };
      try {
        this.endpoint.postMessage(msg);
      } catch (e) {
        // Arguments that cannot be cloned (functions, sockets) fail here, not on the far side.
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  /**
   * A stand-in for the object the other side exposed as `target`: every method name becomes a remote
   * call, so methods added to the interface later need no change here.
   */
  remote<T extends object>(target: string, local: Partial<T> = {}): T {
    return new Proxy(local as T, {
      get: (obj, prop, receiver) => {
        if (Reflect.has(obj, prop)) return Reflect.get(obj, prop, receiver);
        // Not a thenable: `await remote` must yield the proxy, not call the far side.
        if (typeof prop === "symbol" || prop === "then" || FORBIDDEN.has(prop)) return undefined;
        return (...args: unknown[]) => this.call(target, prop, args);
      },
    });
  }

  /** Stops listening and fails calls still waiting for an answer. */
  close(reason = "rpc channel closed"): void {
    if (this.#closed) return;
    this.#closed = true;
    this.endpoint.removeEventListener("message", this.#listener);
    for (const p of this.#pending.values()) p.reject(new Error(reason));
    this.#pending.clear();
  }

  get pendingCalls(): number {
    return this.#pending.size;
  }

  #onMessage(data: unknown): void {
    if (typeof data !== "object" || data === null) return;
    const msg = data as { kind?: unknown };
    if (msg.kind === "rpc-call") void this.#answer(data as CallMessage);
    else if (msg.kind === "rpc-result") this.#settle(data as ResultMessage);
  }

  async #answer(msg: CallMessage): Promise<void> {
    let reply: ResultMessage;
    try {
      const value = await this.#invoke(msg);
      reply = { kind: "rpc-result", id: msg.id, ok: true, value };
    } catch (e) {
      reply = { kind: "rpc-result", id: msg.id, ok: false, error: toPayload(e) };
    }
    if (this.#closed) return;
    try {
      this.endpoint.postMessage(reply);
    } catch (e) {
      // The result itself could not be cloned; the caller must still hear back.
      this.endpoint.postMessage({ kind: "rpc-result", id: msg.id, ok: false, error: toPayload(e) });
    }
  }

  #invoke(msg: CallMessage): unknown {
    const entry = this.#exposed.get(msg.target);
    if (entry === undefined) throw new Error(`rpc: nothing exposed as '${msg.target}'`);
    const { obj, deny } = entry;
    const refused = FORBIDDEN.has(msg.method) || deny.has(msg.method);
    const fn = refused ? undefined : (obj as Record<string, unknown>)[msg.method];
    if (typeof fn !== "function") throw new Error(`rpc: '${msg.target}' has no method '${msg.method}'`);
    return fn.apply(obj, msg.args);
  }

  #settle(msg: ResultMessage): void {
    const p = this.#pending.get(msg.id);
    if (p === undefined) return;
    this.#pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(fromPayload(msg.error ?? { name: "Error", message: "rpc: unknown error" }));
  }
}

function toPayload(e: unknown): ErrorPayload {
  if (e instanceof MlflowError) return { name: "MlflowError", message: e.message, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

function fromPayload(p: ErrorPayload): Error {
  if (p.name === "MlflowError" && p.code !== undefined) {
    return new MlflowError(p.code as ErrorCode, p.message);
  }
  const err = new Error(p.message);
  err.name = p.name;
  return err;
}
