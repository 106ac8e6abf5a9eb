// The PNG encoder of logImage: a real decoder's view (chunk CRCs, IHDR, inflated rows) of what it writes.

import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { crc32, encodePng } from "../../src/client/png.ts";

interface Decoded {
  width: number;
  height: number;
  colorType: number;
  bitDepth: number;
  rows: Uint8Array[];
}

/** Decodes the subset we write (8-bit, filter 0) and checks signature, chunk order and every CRC. */
function decode(png: Uint8Array): Decoded {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length;) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    assert.equal(view.getUint32(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    chunks.push({ type, data });
    at += 12 + len;
  }
  assert.deepEqual(chunks.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
  const h = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const width = h.getUint32(0), height = h.getUint32(4);
  const raw = inflateSync(chunks[1].data);
  const channels = { 0: 1, 4: 2, 2: 3, 6: 4 }[chunks[0].data[9]]!;
  const stride = width * channels;
  assert.equal(raw.length, (stride + 1) * height);
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (stride + 1)], 0, "filter type None");
    rows.push(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
  }
  return { width, height, colorType: chunks[0].data[9], bitDepth: chunks[0].data[8], rows };
}

Deno.test("crc32 matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("PNG: RGB pixel data round-trips through a decoder", () => {
  const data = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  const d = decode(encodePng({ width: 3, height: 2, channels: 3, data }));
  assert.deepEqual([d.width, d.height, d.colorType, d.bitDepth], [3, 2, 2, 8]);
  assert.deepEqual([...d.rows[0]], [255, 0, 0, 0, 255, 0, 0, 0, 255]);
  assert.deepEqual([...d.rows[1]], [10, 20, 30, 40, 50, 60, 70, 80, 90]);
});

Deno.test("PNG: nested arrays give gray (H×W) and RGBA (H×W×4); floats in [0,1] are scaled", () => {
  const gray = decode(encodePng([[0, 128], [255, 300]]));
  assert.equal(gray.colorType, 0);
  assert.deepEqual(gray.rows.map((r) => [...r]), [[0, 128], [255, 255]]);
  const rgba = decode(encodePng([[[0, 0.5, 1, 1]]]));
  assert.equal(rgba.colorType, 6);
  assert.deepEqual([...rgba.rows[0]], [0, 128, 255, 255]);
  const ga = decode(encodePng({ width: 1, height: 1, channels: 2, data: new Float32Array([1, 0]) }));
  assert.deepEqual([ga.colorType, ...ga.rows[0]], [4, 255, 0]);
});

Deno.test("PNG: shape mistakes are refused with a message", () => {
  assert.throws(
    () => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) }),
    /expected 12 values/,
  );
  assert.throws(() => encodePng([[1, 2], [3]]), /same length/);
  assert.throws(() => encodePng({ width: 0, height: 1, channels: 1, data: [] }), /positive integers/);
});
