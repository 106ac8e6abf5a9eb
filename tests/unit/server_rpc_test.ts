// The postMessage RPC under the Worker store proxy, over a real MessageChannel (structured clone).

import assert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import { RpcPeer } from "../../src/store/remote/rpc.ts";

function channel(): { a: RpcPeer; b: RpcPeer; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  const a = new RpcPeer(port1);
  const b = new RpcPeer(port2);
  return {
    a,
    b,
    close: () => {
      a.close();
      b.close();
      port1.close();
      port2.close();
    },
  };
}

class Calculator {
  #log: number[] = [];
  add(x: number, y: number) {
    return x + y;
  }
  async record(values: number[]) {
    await Promise.resolve();
    this.#log.push(...values);
    return { values: this.#log, byKey: new Map([["nan", NaN]]) };
  }
  fail(code: string) {
    if (code === "plain") throw new TypeError("boom");
    throw new MlflowError(code as "RESOURCE_DOES_NOT_EXIST", `no such thing (${code})`);
  }
}

interface CalculatorApi {
  add(x: number, y: number): Promise<number>;
  record(values: number[]): Promise<{ values: number[]; byKey: Map<string, number> }>;
  fail(code: string): Promise<never>;
  multiply(x: number, y: number): Promise<number>;
}

Deno.test("rpc: calls return values; NaN and ±Infinity survive both ways", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  const calc = b.remote<CalculatorApi>("calc");
  assert.equal(await calc.add(2, 3), 5);
  assert.ok(Number.isNaN(await calc.add(NaN, 1)));
  const r = await calc.record([NaN, Infinity, -Infinity, 1.5]);
  assert.ok(Number.isNaN(r.values[0]));
  assert.deepEqual(r.values.slice(1), [Infinity, -Infinity, 1.5]);
  assert.ok(r.byKey instanceof Map && Number.isNaN(r.byKey.get("nan")));
  close();
});

Deno.test("rpc: MlflowError keeps its code and message; other errors keep the message", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  const calc = b.remote<CalculatorApi>("calc");
  for (const code of ["RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE", "RESOURCE_ALREADY_EXISTS"]) {
    await assert.rejects(calc.fail(code), (e: unknown) => {
      assert.ok(e instanceof MlflowError);
      assert.equal(e.code, code);
      assert.equal(e.message, `no such thing (${code})`);
      return true;
    });
  }
  await assert.rejects(calc.fail("plain"), (e: unknown) => {
    assert.ok(e instanceof Error && !(e instanceof MlflowError));
    assert.equal(e.message, "boom");
    assert.equal(e.name, "TypeError");
    return true;
  });
  close();
});

Deno.test("rpc: methods are looked up by name at call time (no per-method proxy code)", async () => {
  const { a, b, close } = channel();
  const target = new Calculator() as Calculator & { multiply?: (x: number, y: number) => number };
  a.expose("calc", target);
  const calc = b.remote<CalculatorApi>("calc");
  await assert.rejects(calc.multiply(2, 3), /has no method 'multiply'/);
  target.multiply = (x, y) => x * y;
  assert.equal(await calc.multiply(2, 3), 6);
  close();
});

Deno.test("rpc: Object.prototype members and unknown targets are refused", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  await assert.rejects(b.call("calc", "constructor", []), /has no method 'constructor'/);
  await assert.rejects(b.call("calc", "__proto__", []), /has no method/);
  await assert.rejects(b.call("nothing", "add", [1, 2]), /nothing exposed as 'nothing'/);
  close();
});

Deno.test("rpc: the proxy is not a thenable and local members take precedence", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  const calc = b.remote<CalculatorApi & { close(): string }>("calc", { close: () => "local" });
  assert.equal(await Promise.resolve(calc), calc);
  assert.equal(calc.close(), "local");
  close();
});

Deno.test("rpc: concurrent calls are matched to their own answers", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  const calc = b.remote<CalculatorApi>("calc");
  const sums = await Promise.all(Array.from({ length: 200 }, (_, i) => calc.add(i, 1000)));
  assert.deepEqual(sums, Array.from({ length: 200 }, (_, i) => i + 1000));
  assert.equal(b.pendingCalls, 0);
  close();
});

Deno.test("rpc: closing fails waiting calls and refuses new ones", async () => {
  const { port1, port2 } = new MessageChannel();
  const caller = new RpcPeer(port2);
  // Nobody answers on port1, so the call stays pending until close.
  const pending = caller.call("calc", "add", [1, 2]);
  caller.close("gone");
  await assert.rejects(pending, /gone/);
  await assert.rejects(caller.call("calc", "add", [1, 2]), /closed/);
  port1.close();
  port2.close();
});

Deno.test("rpc: uncloneable arguments fail on the caller's side", async () => {
  const { a, b, close } = channel();
  a.expose("calc", new Calculator());
  await assert.rejects(b.call("calc", "add", [() => 1, 2]));
  assert.equal(b.pendingCalls, 0);
  close();
});
