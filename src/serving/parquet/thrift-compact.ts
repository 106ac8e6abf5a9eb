// A reader for Thrift's compact protocol, enough for Parquet's footer and page headers: a struct becomes a
// Map from field id to value (lists become arrays, nested structs Maps), so callers pick the ids they know
// and unknown fields are skipped by construction. Integers beyond 2^53 lose precision (sizes and offsets
// of a request body never get there).

export type ThriftValue = boolean | number | Uint8Array | ThriftValue[] | ThriftStruct;
export type ThriftStruct = Map<number, ThriftValue>;

export class ThriftError extends Error {}

const T_BOOL_TRUE = 1, T_BOOL_FALSE = 2, T_BYTE = 3, T_I16 = 4, T_I32 = 5, T_I64 = 6, T_DOUBLE = 7;
const T_BINARY = 8, T_LIST = 9, T_SET = 10, T_MAP = 11, T_STRUCT = 12;
const MAX_DEPTH = 32;

export class ThriftReader {
  pos: number;

  constructor(readonly buf: Uint8Array, start = 0) {
    this.pos = start;
  }

  #byte(): number {
    if (this.pos >= this.buf.length) throw new ThriftError("unexpected end of Thrift data");
    return this.buf[this.pos++];
  }

  varint(): number {
    let result = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new ThriftError("varint is too long");
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  #value(type: number, depth: number): ThriftValue {
    switch (type) {
      case T_BOOL_TRUE:
        return true;
      case T_BOOL_FALSE:
        return false;
      case T_BYTE: {
        const b = this.#byte();
        return b > 127 ? b - 256 : b;
      }
      case T_I16:
      case T_I32:
      case T_I64:
        return this.zigzag();
      case T_DOUBLE: {
        if (this.pos + 8 > this.buf.length) throw new ThriftError("unexpected end of Thrift data");
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case T_BINARY: {
        const n = this.varint();
        if (this.pos + n > this.buf.length) throw new ThriftError("binary field runs past the end");
        const v = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case T_LIST:
      case T_SET:
        return this.#list(depth);
      case T_MAP:
        return this.#map(depth);
      case T_STRUCT:
        return this.struct(depth + 1);
      default:
        throw new ThriftError(`unknown Thrift type ${type}`);
    }
  }

  #list(depth: number): ThriftValue[] {
    const head = this.#byte();
    const size = (head >> 4) === 15 ? this.varint() : head >> 4;
    const type = head & 0x0f;
    if (size > this.buf.length - this.pos + 1) throw new ThriftError("list is longer than the data");
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) {
      // Booleans inside containers take one byte each.
      out.push(type === T_BOOL_TRUE || type === T_BOOL_FALSE ? this.#byte() === 1 : this.#value(type, depth));
    }
    return out;
  }

  #map(depth: number): ThriftValue[] {
    const size = this.varint();
    if (size === 0) return [];
    const types = this.#byte();
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) {
      out.push([this.#value(types >> 4, depth), this.#value(types & 0x0f, depth)]);
    }
    return out;
  }

  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new ThriftError("Thrift structs nest too deep");
    const out: ThriftStruct = new Map();
    let id = 0;
    for (;;) {
      const head = this.#byte();
      if (head === 0) return out;
      const delta = head >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      out.set(id, this.#value(head & 0x0f, depth));
    }
  }
}
