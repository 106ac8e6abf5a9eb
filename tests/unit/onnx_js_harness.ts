// Shared by the JS ONNX engine's unit tests: one-node kernels built from an op table, assertions on what a
// load or a run throws (a refusal is an UnsupportedError, a runtime error any other Error), and the
// conformance corpus (tests/onnx_js/make_corpus.py) built into a temporary directory and read back.

import * as path from "node:path";
import type { AttrValue, GraphNode } from "../../src/serving/onnx-js/graph.ts";
import { Attrs, type Kernel, type OpTable } from "../../src/serving/onnx-js/ops/types.ts";
import {
  type ElemType,
  fromValues,
  type Tensor,
  UnsupportedError,
} from "../../src/serving/onnx-js/tensor.ts";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The kernel `table` builds for one node named "n" of `opType` (domain "", no inputs or outputs unless
 * `node` says otherwise) at `opset`. */
export function kernelOf(
  table: OpTable,
  opType: string,
  opset: number,
  attributes: Map<string, AttrValue> | Record<string, AttrValue> = new Map(),
  node: Partial<Pick<GraphNode, "domain" | "inputs" | "outputs">> = {},
): Kernel {
  const full: GraphNode = {
    name: "n",
    opType,
    domain: "",
    inputs: [],
    outputs: [],
    ...node,
    attributes: attributes instanceof Map ? attributes : new Map(Object.entries(attributes)),
  };
  const subgraph = () => {
    throw new Error("kernelOf builds no subgraphs (run a model through JsSession)");
  };
  return table[opType]({ node: full, opset, attrs: new Attrs(full), subgraph });
}

/** What `f` throws, or undefined when it returns. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `f` fails with an Error that is not a refusal, and its message holds `text`. */
export function assertRuntimeError(f: () => unknown, text: string): void {
  const e = thrown(f);
  assert(e instanceof Error && !(e instanceof UnsupportedError), `expected an Error, got ${e}`);
  assert(e.message.includes(text), e.message);
}

/** `f` is refused with an UnsupportedError whose message holds `text`; `what` names it in a failure. */
export function assertRefused(f: () => unknown, text = "", what = ""): void {
  const e = thrown(f);
  assert(e instanceof UnsupportedError, `${what ? `${what}: ` : ""}expected UnsupportedError, got ${e}`);
  assert(e.message.includes(text), e.message);
}

/** A tensor as make_corpus.py writes it: non-finite floats as "NaN"/"Infinity"/"-Infinity"; "maps" is a
 * ZipMap output, one {label: probability} a row. */
export interface Encoded {
  type: ElemType | "maps";
  dims: number[];
  data: unknown[];
}

/** One corpus case: `js` says whether the JS engine must run the model (else refuse it). */
export interface Case {
  name: string;
  js: boolean;
  feeds: Record<string, Encoded>;
  expected: Record<string, Encoded>;
}

export function num(v: unknown): number {
  return v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);
}

export function decode(e: Encoded): Tensor {
  if (e.type === "maps") throw new Error("maps are outputs only");
  if (e.type === "string") return fromValues("string", e.dims, e.data.map(String));
  return fromValues(e.type, e.dims, e.data.map(num));
}

export function decodeFeeds(feeds: Record<string, Encoded>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, decode(v)]));
}

/** Runs make_corpus.py into a new temporary directory named `prefix`…; `filter` (its ONNX_JS_CASE) builds
 * only the cases whose names hold it, else the ONNX_JS_CASE of this process applies. */
export async function buildCorpus(prefix: string, filter?: string): Promise<string> {
  const setup = await new Deno.Command("bash", { args: [`${ROOT}scripts/setup-python.sh`], stdout: "piped" })
    .output();
  assert(setup.success, "scripts/setup-python.sh failed");
  const python = new TextDecoder().decode(setup.stdout).trim();
  const dir = await Deno.makeTempDir({ prefix });
  const res = await new Deno.Command(python, {
    args: [`${ROOT}tests/onnx_js/make_corpus.py`, dir],
    env: filter === undefined ? {} : { ONNX_JS_CASE: filter },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(res.success, new TextDecoder().decode(res.stderr));
  return dir;
}

/** The case names of a built corpus, in the order make_corpus.py wrote them. */
export async function corpusNames(dir: string): Promise<string[]> {
  return JSON.parse(await Deno.readTextFile(path.join(dir, "index.json")));
}

/** One case of a built corpus: its expectations and its model's bytes. */
export async function readCase(dir: string, name: string): Promise<{ c: Case; bytes: Uint8Array }> {
  const c: Case = JSON.parse(await Deno.readTextFile(path.join(dir, `${name}.json`)));
  return { c, bytes: await Deno.readFile(path.join(dir, `${name}.onnx`)) };
}

/** Builds the corpus cases whose names hold `filter` (at least `min` of them) and checks that the JS engine's
 * float32 outputs equal onnxruntime's bit for bit. */
export async function assertCorpusBitExact(prefix: string, filter: string, min: number): Promise<void> {
  const dir = await buildCorpus(prefix, filter);
  try {
    const names = await corpusNames(dir);
    assert(names.length >= min, `only ${names.length} ${filter} cases`);
    for (const name of names) {
      const { c, bytes } = await readCase(dir, name);
      const out = JsSession.create(bytes).run(decodeFeeds(c.feeds));
      for (const [k, want] of Object.entries(c.expected)) {
        assertEquals(want.type, "float32", `${name}: ${k}`);
        const got = Array.from(out[k].data as Float32Array);
        const differ = got.filter((v, i) => v !== want.data[i]).length;
        assertEquals(differ, 0, `${name}: ${differ} of ${got.length} values of ${k} differ from onnxruntime`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
