// A small PNG encoder for logImage: 8-bit gray, gray+alpha, RGB or RGBA, no filtering, zlib via node:zlib.

import { deflateSync } from "node:zlib";
import { concatBytes } from "./bytes.ts";
import { TrackerError } from "./errors.ts";

/**
 * Pixel rows top to bottom, channels interleaved. Values are 0..255; float data in [0, 1] (a Float32Array or
 * Float64Array, or any fractional value) is scaled by 255 as MLflow does for float images.
 */
export interface PixelImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: ArrayLike<number>;
}

/** Either pixel data with its shape, or nested arrays: rows of pixels (H×W) or rows of channel lists (H×W×C). */
export type ImageInput = PixelImage | number[][] | number[][][];

const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

export function encodePng(input: ImageInput): Uint8Array<ArrayBuffer> {
  const img = toPixelImage(input);
  const { width, height, channels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw bad(`width and height must be positive integers (got ${width}×${height})`);
  }
  if (!(channels in COLOR_TYPE)) throw bad(`channels must be 1, 2, 3 or 4 (got ${channels})`);
  if (img.data.length !== width * height * channels) {
    throw bad(
      `expected ${
        width * height * channels
      } values for ${width}×${height}×${channels}, got ${img.data.length}`,
    );
  }
  const scale = isUnitFloat(img.data) ? 255 : 1;
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1); // the byte at `row` is filter type 0 (None)
    for (let x = 0; x < stride; x++) {
      const v = img.data[y * stride + x] * scale;
      raw[row + 1 + x] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  return concatBytes([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function toPixelImage(input: ImageInput): PixelImage {
  if (!Array.isArray(input)) return input;
  const height = input.length;
  const width = height ? input[0].length : 0;
  const first = width ? input[0][0] : 0;
  const channels = Array.isArray(first) ? first.length : 1;
  const data: number[] = [];
  for (const row of input) {
    if (row.length !== width) throw bad("all rows must have the same length");
    for (const px of row as (number | number[])[]) {
      if (Array.isArray(px)) {
        if (px.length !== channels) throw bad("all pixels must have the same number of channels");
        data.push(...px);
      } else data.push(px);
    }
  }
  return { width, height, channels: channels as PixelImage["channels"], data };
}

/** Float data in [0, 1] (MLflow's convention for float images) is scaled to 0..255. */
function isUnitFloat(data: ArrayLike<number>): boolean {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return false;
  let fractional = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v > 1) return false;
    if (!Number.isInteger(v)) fractional = true;
  }
  return fractional || data instanceof Float32Array || data instanceof Float64Array;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let table: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function bad(message: string): TrackerError {
  return new TrackerError(`logImage: ${message}`, "INVALID_PARAMETER_VALUE");
}
