// Assertions shared by the store contract suites.
import nodeAssert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";

export const assert: (v: unknown, msg?: string) => asserts v = nodeAssert.ok;
export const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

/** Awaits `p` and checks it fails with MLflow error `code`. */
export async function expectCode(p: Promise<unknown>, code: string) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof MlflowError)) throw e;
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
