/**
 * A streaming multipart/form-data parser (RFC 7578): yields one part at a time, and each part's body is itself a
 * stream, so an upload of any size passes through with memory bounded by the chunk size. The caller must consume
 * (or skip) a part's body before asking for the next part; unread bytes are drained automatically.
 * Pure (node:buffer only): no framework, so the CLI and tests use it too.
 */

export interface MultipartPart {
  /** The form field name. */
  name: string;
  /** Present for file fields (may be ""), absent for plain fields. */
  filename?: string;
  contentType?: string;
  /** The part's bytes; read it once. */
  body: AsyncIterable<Buffer>;
  /** Reads a plain field as UTF-8 text, refusing anything longer than `maxBytes`. */
  text(maxBytes?: number): Promise<string>;
}

export interface ParseMultipartOptions {
  /** Largest header block of one part. */
  maxHeaderBytes?: number;
  /** Most parts accepted. */
  maxParts?: number;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MultipartError";
  }
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or undefined when it is not one. */
export function multipartBoundary(contentType: string | null | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 200 ? b : undefined;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** Pulls chunks from the source into one small working buffer. */
class Reader {
  buf: Buffer = Buffer.alloc(0);
  done = false;
  private it: AsyncIterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }
  async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }
  async cancel() {
    await this.it.return?.();
  }
}

function parseHeaders(block: string): { name: string; filename?: string; contentType?: string } {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split("\r\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === "content-disposition") disposition = value;
    else if (key === "content-type") contentType = value;
  }
  if (!disposition || !/^form-data\b/i.test(disposition)) {
    throw new MultipartError("each multipart part needs a 'Content-Disposition: form-data' header");
  }
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i").exec(disposition!);
    if (!m) return undefined;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2].trim();
  };
  const name = param("name");
  if (name === undefined) throw new MultipartError("a multipart part has no field name");
  return { name, filename: param("filename"), contentType };
}

/**
 * Parses a multipart body. Throws MultipartError on malformed input (unterminated body, missing headers…).
 */
export async function* parseMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  opts: ParseMultipartOptions = {},
): AsyncGenerator<MultipartPart> {
  const maxHeaderBytes = opts.maxHeaderBytes ?? 16 * 1024;
  const maxParts = opts.maxParts ?? 32;
  const reader = new Reader(source);
  // Treat the body as if it began with CRLF so that the first boundary looks like every other one.
  reader.buf = Buffer.from("\r\n");
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let parts = 0;

  try {
    // Skip the preamble up to the first delimiter.
    for (;;) {
      const i = reader.buf.indexOf(delimiter);
      if (i >= 0) {
        reader.buf = reader.buf.subarray(i + delimiter.length);
        break;
      }
      if (reader.buf.length > delimiter.length) reader.buf = reader.buf.subarray(reader.buf.length - delimiter.length);
      if (!(await reader.fill())) throw new MultipartError("the multipart body has no boundary line (is the boundary right?)");
    }

    for (;;) {
      // After a delimiter: "--" ends the body; otherwise optional whitespace, CRLF, then headers.
      while (reader.buf.length < 2 && (await reader.fill()));
      if (reader.buf.length >= 2 && reader.buf[0] === 0x2d && reader.buf[1] === 0x2d) return;
      let eol: number;
      while ((eol = reader.buf.indexOf(CRLF)) < 0) {
        if (reader.buf.length > 256 || !(await reader.fill())) throw new MultipartError("the multipart body ended unexpectedly");
      }
      reader.buf = reader.buf.subarray(eol + 2);
      let end: number;
      // A part with no headers starts directly with CRLF.
      if (reader.buf.length >= 2 && reader.buf[0] === 0x0d && reader.buf[1] === 0x0a) end = -2;
      else {
        while ((end = reader.buf.indexOf(HEADER_END)) < 0) {
          if (reader.buf.length > maxHeaderBytes) throw new MultipartError("a multipart part's headers are too long");
          if (!(await reader.fill())) throw new MultipartError("the multipart body ended inside a part's headers");
          if (reader.buf.length >= 2 && reader.buf[0] === 0x0d && reader.buf[1] === 0x0a) {
            end = -2;
            break;
          }
        }
      }
      const headerBlock = end < 0 ? "" : reader.buf.subarray(0, end).toString("utf8");
      reader.buf = reader.buf.subarray(end < 0 ? 2 : end + 4);
      if (++parts > maxParts) throw new MultipartError(`too many multipart parts (at most ${maxParts})`);
      const headers = parseHeaders(headerBlock);

      let finished = false;
      let consumed = false;
      async function* readBody(): AsyncGenerator<Buffer> {
        for (;;) {
          const i = reader.buf.indexOf(delimiter);
          if (i >= 0) {
            const data = reader.buf.subarray(0, i);
            reader.buf = reader.buf.subarray(i + delimiter.length);
            finished = true;
            if (data.length) yield data;
            return;
          }
          // Keep a tail that might be the start of a delimiter split across chunks.
          const safe = reader.buf.length - (delimiter.length - 1);
          if (safe > 0) {
            const data = reader.buf.subarray(0, safe);
            reader.buf = reader.buf.subarray(safe);
            yield data;
          }
          if (!(await reader.fill())) throw new MultipartError(`the multipart body ended inside field '${headers.name}' (truncated upload?)`);
        }
      }
      async function* body(): AsyncGenerator<Buffer> {
        if (consumed) throw new MultipartError(`the body of multipart field '${headers.name}' was already read`);
        consumed = true;
        yield* readBody();
      }
      const iterable = body();
      const part: MultipartPart = {
        ...headers,
        body: iterable,
        async text(maxBytes = 64 * 1024) {
          const chunks: Buffer[] = [];
          let n = 0;
          for await (const c of iterable) {
            n += c.length;
            if (n > maxBytes) throw new MultipartError(`multipart field '${headers.name}' is longer than ${maxBytes} bytes`);
            chunks.push(c);
          }
          return Buffer.concat(chunks).toString("utf8");
        },
      };
      yield part;
      // Unread (or partly read) bytes of this part are skipped so the next part can be found.
      if (!finished) for await (const _ of readBody());
    }
  } finally {
    if (!reader.done) await reader.cancel().catch(() => {});
  }
}
