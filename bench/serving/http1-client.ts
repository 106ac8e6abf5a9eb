// A minimal HTTP/1.1 keep-alive client for load generation: each request goes out in one write (request line,
// headers and body together, TCP_NODELAY), as curl, wrk and Python's http.client send it. Deno's fetch writes
// headers and body separately, and against uvicorn with --workers that met delayed ACKs: every request of
// `mlflow models serve -w 2` took ~44 ms, which measured the client, not the server.

const CRLF_CRLF = new Uint8Array([13, 10, 13, 10]);
const decoder = new TextDecoder();

function indexOf(buf: Uint8Array, pat: Uint8Array, from: number): number {
  outer: for (let i = from; i <= buf.length - pat.length; i++) {
    for (let j = 0; j < pat.length; j++) if (buf[i + j] !== pat[j]) continue outer;
    return i;
  }
  return -1;
}

export interface Http1Response {
  status: number;
  body: Uint8Array;
}

export class Http1Connection {
  #buf = new Uint8Array(0);
  #chunk = new Uint8Array(64 * 1024);

  private constructor(private readonly conn: Deno.TcpConn) {}

  static async open(hostname: string, port: number): Promise<Http1Connection> {
    const conn = await Deno.connect({ hostname, port });
    conn.setNoDelay(true);
    return new Http1Connection(conn);
  }

  /** `request` is the whole request, body included (see buildPost). */
  async send(request: Uint8Array): Promise<Http1Response> {
    let off = 0;
    while (off < request.length) off += await this.conn.write(request.subarray(off));
    let end: number;
    while ((end = indexOf(this.#buf, CRLF_CRLF, 0)) < 0) await this.#fill();
    const head = decoder.decode(this.#buf.subarray(0, end));
    const status = Number(head.slice(9, 12));
    const lengthHeader = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    this.#buf = this.#buf.subarray(end + 4);
    if (lengthHeader) {
      const n = Number(lengthHeader[1]);
      while (this.#buf.length < n) await this.#fill();
      const body = this.#buf.slice(0, n);
      this.#buf = this.#buf.subarray(n);
      return { status, body };
    }
    if (!chunked) throw new Error("response has neither content-length nor chunked encoding");
    const parts: Uint8Array[] = [];
    for (;;) {
      let eol: number;
      while ((eol = indexOf(this.#buf, CRLF_CRLF.subarray(0, 2), 0)) < 0) await this.#fill();
      const size = parseInt(decoder.decode(this.#buf.subarray(0, eol)), 16);
      while (this.#buf.length < eol + 2 + size + 2) await this.#fill();
      parts.push(this.#buf.slice(eol + 2, eol + 2 + size));
      this.#buf = this.#buf.subarray(eol + 2 + size + 2);
      if (size === 0) break;
    }
    const body = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) (body.set(p, at), at += p.length);
    return { status, body };
  }

  async #fill(): Promise<void> {
    const n = await this.conn.read(this.#chunk);
    if (n === null) throw new Error("connection closed by the server");
    const next = new Uint8Array(this.#buf.length + n);
    next.set(this.#buf);
    next.set(this.#chunk.subarray(0, n), this.#buf.length);
    this.#buf = next;
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

export function buildPost(host: string, path: string, contentType: string, body: string): Uint8Array {
  const payload = new TextEncoder().encode(body);
  const head = new TextEncoder().encode(
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${payload.length}\r\nConnection: keep-alive\r\n\r\n`,
  );
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}
