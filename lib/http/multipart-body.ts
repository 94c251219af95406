/**
 * Builds a multipart/form-data body as a stream (files are streamed, never buffered), for the CLI and tests. Pure.
 */
import crypto from "node:crypto";

export type MultipartField =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; data: AsyncIterable<Uint8Array> | Uint8Array };

export function newBoundary(): string {
  return `----ferry${crypto.randomBytes(12).toString("hex")}`;
}

const quote = (s: string) => s.replace(/["\\\r\n]/g, (c) => (c === '"' ? "%22" : c === "\\" ? "\\\\" : ""));

export async function* multipartBody(boundary: string, fields: MultipartField[]): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for (const f of fields) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.name)}"`;
    if ("filename" in f) head += `; filename="${quote(f.filename)}"\r\nContent-Type: ${f.contentType ?? "application/octet-stream"}`;
    yield enc.encode(`${head}\r\n\r\n`);
    if ("value" in f) yield enc.encode(f.value);
    else if (f.data instanceof Uint8Array) yield f.data;
    else for await (const chunk of f.data) yield chunk;
    yield enc.encode("\r\n");
  }
  yield enc.encode(`--${boundary}--\r\n`);
}

/** The body as a web ReadableStream (for fetch with `duplex: "half"`). */
export function multipartStream(boundary: string, fields: MultipartField[]): ReadableStream<Uint8Array> {
  const it = multipartBody(boundary, fields);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
