// The Parquet reader against files pandas wrote (tests/serving/parquet, with what pandas.read_parquet reads
// back), and its refusals: bad bytes become a ParquetError (a 400), never a crash or a hang.

import nodeAssert from "node:assert/strict";
import { parquetToFrame } from "../../src/serving/parquet/frame.ts";
import { ParquetError, readParquet } from "../../src/serving/parquet/read.ts";
import { snappyUncompress } from "../../src/serving/parquet/snappy.ts";
import { invocations } from "../../src/serving/invocations.ts";
import type { ServableModel } from "../../src/serving/model.ts";

const DIR = new URL("../serving/parquet/", import.meta.url);
const expected: Record<
  string,
  { columns: string[]; dtypes: string[]; head: unknown[][]; rows: number; tail?: boolean }
> = JSON.parse(await Deno.readTextFile(new URL("expected.json", DIR)));

// pandas dtypes whose data tracker reads with a plainer numpy dtype (pandas restores these from its metadata).
const DTYPE_AS = (d: string) => (d === "Int64" ? "float64" : d === "category" ? "str" : d);
const nanAsNull = (v: unknown) => (typeof v === "number" && Number.isNaN(v) ? null : v);

for (const [file, want] of Object.entries(expected)) {
  Deno.test(`parquet: ${file} reads as pandas reads it`, async () => {
    const frame = parquetToFrame(await readParquet(await Deno.readFile(new URL(file, DIR))));
    nodeAssert.deepEqual(frame.columns, want.columns);
    nodeAssert.equal(frame.rows, want.rows);
    nodeAssert.deepEqual(frame.data.map((c) => c.dtype), want.dtypes.map(DTYPE_AS));
    const from = want.tail ? want.rows - want.head.length : 0;
    const rows = want.head.map((_, r) => frame.data.map((c) => nanAsNull(c.values[from + r])));
    nodeAssert.deepEqual(rows, want.head);
  });
}

Deno.test("parquet: damaged files are refused with an error (/invocations answers 400), not a crash", async () => {
  const good = await Deno.readFile(new URL("basic-snappy.parquet", DIR));
  const scrambled = good.slice();
  for (let i = 8; i < scrambled.length - 200; i += 7) scrambled[i] ^= 0x5a; // pages scrambled, footer intact
  const damaged = [
    new Uint8Array(0),
    new TextEncoder().encode("PAR1 not really PAR1"),
    good.subarray(0, good.length - 100),
    good.subarray(100),
    scrambled,
  ];
  for (const [i, bytes] of damaged.entries()) {
    await nodeAssert.rejects(readParquet(bytes).then(parquetToFrame), Error, `case ${i}`);
  }
  await nodeAssert.rejects(readParquet(good.subarray(0, 40)), ParquetError);
});

Deno.test("parquet: types tracker does not read are refused by name", async () => {
  for (
    const [file, kind] of [["refused-decimal.parquet", "decimal"], ["refused-timestamp.parquet", "timestamp"]]
  ) {
    const table = await readParquet(await Deno.readFile(new URL(file, DIR)));
    nodeAssert.throws(
      () => parquetToFrame(table),
      (e: unknown) => e instanceof ParquetError && e.message.includes(kind),
    );
  }
});

Deno.test("snappy: literals and overlapping copies; corrupt input is an error", () => {
  // "abcabcabcabc": literal "abc" then a copy of 9 bytes at offset 3 (overlapping its own output).
  const block = new Uint8Array([12, 0x08, 97, 98, 99, ((9 - 4) << 2) | 1, 3]);
  nodeAssert.equal(new TextDecoder().decode(snappyUncompress(block)), "abcabcabcabc");
  nodeAssert.throws(() => snappyUncompress(new Uint8Array([12, 0x08, 97, 98, 99, ((9 - 4) << 2) | 1, 9])));
  nodeAssert.throws(() => snappyUncompress(block, 11));
});

Deno.test("/invocations: a Parquet body is a DataFrame input; a bad one is a 400 BAD_REQUEST", async () => {
  let seen: unknown;
  const model: ServableModel = {
    flavor: "js",
    predict: (input) => {
      seen = input;
      return Promise.resolve({ kind: "value", value: [1, 2, 3] });
    },
  };
  const body = await Deno.readFile(new URL("basic-snappy.parquet", DIR));
  const ok = await invocations(body, "application/vnd.apache.parquet", model);
  nodeAssert.equal(ok.status, 200, ok.body);
  nodeAssert.equal((seen as { kind: string }).kind, "frame");
  const bad = await invocations(new Uint8Array([1, 2, 3]), "application/vnd.apache.parquet", model);
  nodeAssert.equal(bad.status, 400);
  nodeAssert.equal(JSON.parse(bad.body).error_code, "BAD_REQUEST");
});
