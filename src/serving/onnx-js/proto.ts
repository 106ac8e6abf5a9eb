// A minimal protobuf wire-format reader: enough to walk ONNX's messages without a schema compiler. Byte
// fields are returned as views into the model's buffer (no copy), so large initializers cost nothing to
// read until an op uses them.

export class ProtoError extends Error {}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** Next field's number and wire type, or undefined at the end of the message. */
  tag(): { field: number; wire: number } | undefined {
    if (this.pos >= this.end) return undefined;
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t % 8 };
  }

  /** A varint as a number (int64 semantics: 10-byte encodings are negative); beyond 2^53 precision is lost. */
  varint(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new ProtoError("truncated varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    // Rare long form (large or negative int64): exact with BigInt.
    this.pos = start;
    let big = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError("truncated varint");
      const b = this.buf[this.pos++];
      big |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    throw new ProtoError("varint longer than 10 bytes");
  }

  fixed32f(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64f(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed64u(): number {
    this.need(8);
    const v = Number(this.view.getBigUint64(this.pos, true));
    this.pos += 8;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return DECODER.decode(this.bytes());
  }

  /** A reader over a length-delimited sub-message. */
  message(): ProtoReader {
    const n = this.varint();
    this.need(n);
    const r = new ProtoReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** Appends a repeated numeric field, packed or not; `read` reads one element. */
  repeated(wire: number, out: number[], read: (r: ProtoReader) => number): void {
    if (wire !== WIRE_LEN) {
      out.push(read(this));
      return;
    }
    const r = this.message();
    while (!r.done()) out.push(read(r));
  }

  varints(wire: number, out: number[]): void {
    this.repeated(wire, out, (r) => r.varint());
  }

  floats(wire: number, out: number[]): void {
    this.repeated(wire, out, (r) => r.fixed32f());
  }

  doubles(wire: number, out: number[]): void {
    this.repeated(wire, out, (r) => r.fixed64f());
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new ProtoError("truncated message");
  }
}

const DECODER = new TextDecoder();

/** Protobuf varint bytes of a non-negative integer. */
export function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A length-delimited field (tag, length, bytes) of the given field number. */
export function lengthDelimited(field: number, content: Uint8Array): Uint8Array {
  const head = [...encodeVarint(field * 8 + WIRE_LEN), ...encodeVarint(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content, head.length);
  return out;
}

/** Top-level fields of a message with their byte ranges (tag included), for splicing without a schema. */
export function fieldRanges(buf: Uint8Array): { field: number; wire: number; start: number; end: number }[] {
  const r = new ProtoReader(buf);
  const out: { field: number; wire: number; start: number; end: number }[] = [];
  while (!r.done()) {
    const start = r.pos;
    const t = r.tag()!;
    r.skip(t.wire);
    out.push({ field: t.field, wire: t.wire, start, end: r.pos });
  }
  return out;
}
