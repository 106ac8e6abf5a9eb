// Reads a Parquet file of flat columns (what pandas.DataFrame.to_parquet writes) into one array of values per
// column, null for missing ones. Supported: data pages v1 and v2; PLAIN, dictionary and RLE encodings;
// uncompressed, SNAPPY and GZIP pages. Nested columns, INT96 and other encodings or codecs are refused.

import { snappyUncompress } from "./snappy.ts";
import { ThriftReader, type ThriftStruct, type ThriftValue } from "./thrift-compact.ts";

export class ParquetError extends Error {}

export const PHYSICAL = [
  "BOOLEAN",
  "INT32",
  "INT64",
  "INT96",
  "FLOAT",
  "DOUBLE",
  "BYTE_ARRAY",
  "FIXED_LEN_BYTE_ARRAY",
];

export interface ParquetColumn {
  name: string;
  physical: string;
  /** Thrift ConvertedType id (legacy annotation), if any. */
  converted?: number;
  /** LogicalType union member id and its struct, if any. */
  logical?: { kind: number; fields: ThriftStruct };
  values: unknown[];
}

export interface ParquetTable {
  rows: number;
  columns: ParquetColumn[];
  metadata: Map<string, string>;
}

const MAGIC = "PAR1";
// Bounds on what a request body may claim (it is untrusted): values per column and bytes per page.
export const MAX_VALUES = 5_000_000;
const MAX_PAGE_BYTES = 256 * 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

const get = <T extends ThriftValue>(s: ThriftStruct, id: number): T | undefined => s.get(id) as T | undefined;

function need<T extends ThriftValue>(s: ThriftStruct, id: number, what: string): T {
  const v = s.get(id);
  if (v === undefined) throw new ParquetError(`${what} is missing`);
  return v as T;
}

const text = (v: Uint8Array) => utf8.decode(v);

interface Leaf {
  name: string;
  type: number;
  /** Bytes per value of FIXED_LEN_BYTE_ARRAY. */
  typeLength: number;
  optional: boolean;
  converted?: number;
  logical?: { kind: number; fields: ThriftStruct };
}

function leaves(schema: ThriftStruct[]): Leaf[] {
  if (schema.length === 0) throw new ParquetError("the file has no schema");
  const rootChildren = get<number>(schema[0], 5) ?? 0;
  if (rootChildren !== schema.length - 1) {
    throw new ParquetError("nested columns (structs, lists, maps) are not supported");
  }
  return schema.slice(1).map((el) => {
    const name = text(need<Uint8Array>(el, 4, "a column name"));
    if ((get<number>(el, 5) ?? 0) > 0) {
      throw new ParquetError(`column '${name}' is nested, which is not supported`);
    }
    const repetition = get<number>(el, 3) ?? 0;
    if (repetition === 2) throw new ParquetError(`column '${name}' is repeated, which is not supported`);
    const type = need<number>(el, 1, `the type of column '${name}'`);
    const logicalUnion = get<ThriftStruct>(el, 10);
    const logicalEntry = logicalUnion ? [...logicalUnion.entries()][0] : undefined;
    return {
      name,
      type,
      typeLength: get<number>(el, 2) ?? 0,
      optional: repetition === 1,
      converted: get<number>(el, 6),
      logical: logicalEntry ? { kind: logicalEntry[0], fields: logicalEntry[1] as ThriftStruct } : undefined,
    };
  });
}

async function uncompress(codec: number, data: Uint8Array, size: number): Promise<Uint8Array> {
  if (size > MAX_PAGE_BYTES) throw new ParquetError(`a page claims ${size} bytes uncompressed`);
  switch (codec) {
    case 0:
      return data;
    case 1:
      return snappyUncompress(data, size);
    case 2: {
      const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      );
      const out = new Uint8Array(await new Response(stream).arrayBuffer());
      if (out.length !== size) {
        throw new ParquetError(`a gzip page holds ${out.length} bytes, its header says ${size}`);
      }
      return out;
    }
    default:
      throw new ParquetError(
        `compression codec ${
          ["", "", "", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"][codec] ?? codec
        } is not ` +
          "supported (use snappy, gzip or none)",
      );
  }
}

/** The RLE / bit-packed hybrid encoding: `count` values of `bitWidth` bits from `buf[pos, end)`. */
function readHybrid(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number): number[] {
  if (count > MAX_VALUES) throw new ParquetError(`a page claims ${count} values`);
  if (bitWidth > 32) throw new ParquetError(`bit width ${bitWidth} is out of range`);
  const out: number[] = [];
  const r = new ThriftReader(buf, pos);
  const byteWidth = Math.ceil(bitWidth / 8);
  while (out.length < count) {
    if (r.pos >= end) throw new ParquetError("RLE data ends early");
    const header = r.varint();
    if (header % 2 === 0) {
      const run = header / 2;
      let v = 0;
      for (let i = 0; i < byteWidth; i++) v += buf[r.pos + i] * 256 ** i;
      r.pos += byteWidth;
      for (let i = 0; i < run && out.length < count; i++) out.push(v);
    } else {
      const groups = (header - 1) / 2;
      const bytes = groups * bitWidth;
      if (r.pos + bytes > end) throw new ParquetError("bit-packed data runs past the page");
      let bit = 0;
      for (let i = 0; i < groups * 8 && out.length < count; i++) {
        let v = 0;
        for (let b = 0; b < bitWidth; b++, bit++) {
          if (buf[r.pos + (bit >> 3)] & (1 << (bit & 7))) v += 2 ** b;
        }
        out.push(v);
      }
      r.pos += bytes;
    }
  }
  return out;
}

const bitWidthOf = (max: number) => (max === 0 ? 0 : Math.floor(Math.log2(max)) + 1);

function readPlain(type: number, buf: Uint8Array, pos: number, count: number, typeLength: number): unknown[] {
  // Every value takes at least one bit, so a count the page cannot hold is refused before allocating.
  if (count > MAX_VALUES || count > (buf.length - pos) * 8) {
    throw new ParquetError(`a page claims ${count} values it cannot hold`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: unknown[] = new Array(count);
  const fits = (n: number) => {
    if (pos + n > buf.length) throw new ParquetError("values run past the end of the page");
  };
  switch (type) {
    case 0:
      fits(Math.ceil(count / 8));
      for (let i = 0; i < count; i++) out[i] = (buf[pos + (i >> 3)] & (1 << (i & 7))) !== 0;
      return out;
    case 1:
      fits(4 * count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(pos + 4 * i, true);
      return out;
    case 2:
      fits(8 * count);
      for (let i = 0; i < count; i++) out[i] = view.getBigInt64(pos + 8 * i, true);
      return out;
    case 4:
      fits(4 * count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(pos + 4 * i, true);
      return out;
    case 5:
      fits(8 * count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(pos + 8 * i, true);
      return out;
    case 6:
      for (let i = 0; i < count; i++) {
        fits(4);
        const n = view.getUint32(pos, true);
        fits(4 + n);
        out[i] = buf.subarray(pos + 4, pos + 4 + n);
        pos += 4 + n;
      }
      return out;
    case 7:
      fits(typeLength * count);
      for (let i = 0; i < count; i++) out[i] = buf.subarray(pos + typeLength * i, pos + typeLength * (i + 1));
      return out;
    default:
      throw new ParquetError(`physical type ${PHYSICAL[type] ?? type} is not supported`);
  }
}

async function readColumnChunk(file: Uint8Array, chunk: ThriftStruct, leaf: Leaf): Promise<unknown[]> {
  const meta = need<ThriftStruct>(chunk, 3, `metadata of column '${leaf.name}'`);
  const codec = need<number>(meta, 4, "codec");
  const total = need<number>(meta, 5, "num_values");
  if (total > MAX_VALUES) throw new ParquetError(`column '${leaf.name}' claims ${total} values`);
  const dataOffset = need<number>(meta, 9, "data_page_offset");
  const dictOffset = get<number>(meta, 11);
  let pos = dictOffset !== undefined && dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
  const maxDef = leaf.optional ? 1 : 0;
  let dictionary: unknown[] | undefined;
  const values: unknown[] = [];
  while (values.length < total) {
    if (pos >= file.length) throw new ParquetError(`column '${leaf.name}' ends early`);
    const r = new ThriftReader(file, pos);
    const header = r.struct();
    const pageType = need<number>(header, 1, "page type");
    const uncompressedSize = need<number>(header, 2, "uncompressed page size");
    const compressedSize = need<number>(header, 3, "compressed page size");
    const start = r.pos, end = r.pos + compressedSize;
    if (end > file.length) throw new ParquetError("a page runs past the end of the file");
    const raw = file.subarray(start, end);
    pos = end;
    if (pageType === 2) {
      const dh = need<ThriftStruct>(header, 7, "dictionary page header");
      const page = await uncompress(codec, raw, uncompressedSize);
      dictionary = readPlain(leaf.type, page, 0, need<number>(dh, 1, "dictionary size"), leaf.typeLength);
      continue;
    }
    let page: Uint8Array, defs: number[] | undefined, n: number, encoding: number, at: number;
    if (pageType === 0) {
      const dh = need<ThriftStruct>(header, 5, "data page header");
      n = need<number>(dh, 1, "num_values");
      encoding = need<number>(dh, 2, "encoding");
      page = await uncompress(codec, raw, uncompressedSize);
      at = 0;
      if (maxDef > 0) {
        const len = new DataView(page.buffer, page.byteOffset, page.byteLength).getUint32(0, true);
        defs = readHybrid(page, 4, 4 + len, bitWidthOf(maxDef), n);
        at = 4 + len;
      }
    } else if (pageType === 3) {
      const dh = need<ThriftStruct>(header, 8, "data page v2 header");
      n = need<number>(dh, 1, "num_values");
      encoding = need<number>(dh, 4, "encoding");
      const defLen = need<number>(dh, 5, "definition levels length");
      const repLen = need<number>(dh, 6, "repetition levels length");
      if (maxDef > 0) defs = readHybrid(raw, repLen, repLen + defLen, bitWidthOf(maxDef), n);
      const body = raw.subarray(repLen + defLen);
      const compressed = get<boolean>(dh, 7) ?? true;
      page = compressed ? await uncompress(codec, body, uncompressedSize - repLen - defLen) : body;
      at = 0;
    } else {
      continue; // index pages carry nothing we read
    }
    const present = defs ? defs.filter((d) => d === maxDef).length : n;
    let decoded: unknown[];
    if (encoding === 0) {
      decoded = readPlain(leaf.type, page, at, present, leaf.typeLength);
    } else if (encoding === 2 || encoding === 8) {
      if (!dictionary) throw new ParquetError(`column '${leaf.name}' uses a dictionary it does not have`);
      const width = page[at];
      const idx = readHybrid(page, at + 1, page.length, width, present);
      decoded = idx.map((i) => {
        if (i >= dictionary!.length) throw new ParquetError("dictionary index out of range");
        return dictionary![i];
      });
    } else if (encoding === 3 && leaf.type === 0) {
      const len = new DataView(page.buffer, page.byteOffset, page.byteLength).getUint32(at, true);
      decoded = readHybrid(page, at + 4, at + 4 + len, 1, present).map((v) => v === 1);
    } else {
      throw new ParquetError(`encoding ${encoding} of column '${leaf.name}' is not supported`);
    }
    if (defs) {
      let k = 0;
      for (const d of defs) values.push(d === maxDef ? decoded[k++] : null);
    } else {
      values.push(...decoded);
    }
  }
  return values;
}

export async function readParquet(file: Uint8Array): Promise<ParquetTable> {
  const tail = file.length - 8;
  if (file.length < 12 || text(file.subarray(0, 4)) !== MAGIC || text(file.subarray(tail + 4)) !== MAGIC) {
    throw new ParquetError("not a Parquet file (no PAR1 magic)");
  }
  const footerLength = new DataView(file.buffer, file.byteOffset + tail, 4).getUint32(0, true);
  if (footerLength > tail - 4) throw new ParquetError("footer length is out of range");
  const meta = new ThriftReader(file.subarray(tail - footerLength, tail)).struct();
  const cols = leaves(need<ThriftStruct[]>(meta, 2, "schema"));
  const rows = need<number>(meta, 3, "num_rows");
  if (rows > MAX_VALUES) {
    throw new ParquetError(`the file claims ${rows} rows; at most ${MAX_VALUES} are read`);
  }
  const columns: ParquetColumn[] = cols.map((c) => ({
    name: c.name,
    physical: PHYSICAL[c.type] ?? String(c.type),
    converted: c.converted,
    logical: c.logical,
    values: [],
  }));
  for (const group of need<ThriftStruct[]>(meta, 4, "row groups")) {
    const chunks = need<ThriftStruct[]>(group, 1, "column chunks");
    if (chunks.length !== cols.length) throw new ParquetError("a row group does not hold every column");
    for (let i = 0; i < cols.length; i++) {
      const vals = await readColumnChunk(file, chunks[i], cols[i]);
      for (const v of vals) columns[i].values.push(v);
    }
  }
  if (columns.some((c) => c.values.length !== rows)) throw new ParquetError("columns differ in length");
  const metadata = new Map<string, string>();
  for (const kv of get<ThriftStruct[]>(meta, 5) ?? []) {
    const k = get<Uint8Array>(kv, 1), v = get<Uint8Array>(kv, 2);
    if (k && v) metadata.set(text(k), text(v));
  }
  return { rows, columns, metadata };
}
