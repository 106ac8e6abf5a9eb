// Snappy's raw block format (what Parquet's SNAPPY codec stores in each page), decompression only.

export class SnappyError extends Error {}

export function snappyUncompress(src: Uint8Array, expected?: number): Uint8Array {
  let pos = 0, length = 0, mul = 1;
  for (;;) {
    if (pos >= src.length) throw new SnappyError("truncated snappy length");
    const b = src[pos++];
    length += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) break;
    mul *= 128;
    if (mul > 2 ** 35) throw new SnappyError("snappy length is too long");
  }
  if (expected !== undefined && length !== expected) {
    throw new SnappyError(`snappy block holds ${length} bytes, the page header says ${expected}`);
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let i = 0; i < bytes; i++) n += src[pos++] * 256 ** i;
      }
      n += 1;
      if (pos + n > src.length || o + n > length) throw new SnappyError("snappy literal runs past the end");
      out.set(src.subarray(pos, pos + n), o);
      pos += n;
      o += n;
      continue;
    }
    let n: number, offset: number;
    if (kind === 1) {
      n = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      n = (tag >> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      n = (tag >> 2) + 1;
      offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16)) + src[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + n > length) throw new SnappyError("snappy copy out of range");
    // Copies may overlap their own output (run-length style), so go byte by byte.
    for (let i = 0; i < n; i++, o++) out[o] = out[o - offset];
  }
  if (o !== length) throw new SnappyError(`snappy block ended after ${o} of ${length} bytes`);
  return out;
}
