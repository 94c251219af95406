import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseMultipart, multipartBoundary, MultipartError } from "./parse-multipart";

const B = "----ferryBoundary7MA4YWxkTrZu0gW";

function body(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[], boundary = B): Buffer {
  const chunks: Buffer[] = [Buffer.from("preamble to ignore\r\n")];
  for (const p of parts) {
    let h = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) h += `; filename="${p.filename}"`;
    h += "\r\n";
    if (p.type) h += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(h + "\r\n"), Buffer.from(p.data), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let off = 0;
  let i = 0;
  while (off < buf.length) {
    const n = Math.max(1, sizes.length ? sizes[i++ % sizes.length] : buf.length);
    yield new Uint8Array(buf.subarray(off, off + n));
    off += n;
  }
}

async function collect(src: AsyncIterable<Uint8Array>, boundary = B) {
  const out: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
  for await (const p of parseMultipart(src, boundary)) {
    const chunks: Buffer[] = [];
    for await (const c of p.body) chunks.push(c);
    out.push({ name: p.name, filename: p.filename, contentType: p.contentType, data: Buffer.concat(chunks) });
  }
  return out;
}

describe("multipartBoundary", () => {
  it("reads quoted and bare boundaries and rejects other types", () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(multipartBoundary(`multipart/form-data; charset=utf-8; boundary="a b"`)).toBe("a b");
    expect(multipartBoundary("application/json")).toBeUndefined();
    expect(multipartBoundary("multipart/form-data")).toBeUndefined();
    expect(multipartBoundary(null)).toBeUndefined();
  });
});

describe("parseMultipart", () => {
  it("parses fields and files, keeping bytes that look like boundaries", async () => {
    const tricky = Buffer.concat([Buffer.from(`\r\n--${B.slice(0, -1)}X\r\n--`), Buffer.from([0, 255, 13, 10, 45, 45])]);
    const parts = await collect(
      chunked(body([
        { name: "description", data: "hello, world" },
        { name: "file", filename: "model.onnx", type: "application/octet-stream", data: tricky },
        { name: "empty", data: "" },
      ]), [7]),
    );
    expect(parts.map((p) => p.name)).toEqual(["description", "file", "empty"]);
    expect(parts[0].data.toString()).toBe("hello, world");
    expect(parts[0].filename).toBeUndefined();
    expect(parts[1].filename).toBe("model.onnx");
    expect(parts[1].contentType).toBe("application/octet-stream");
    expect(parts[1].data.equals(tricky)).toBe(true);
    expect(parts[2].data.length).toBe(0);
  });

  it("returns identical parts however the body is split into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.string({ maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        async (bytes, text, sizes) => {
          const data = Buffer.from(bytes);
          const parts = await collect(chunked(body([{ name: "a", data: text }, { name: "file", filename: "f", data }]), sizes));
          expect(parts).toHaveLength(2);
          expect(parts[0].data.toString()).toBe(Buffer.from(text).toString());
          expect(parts[1].data.equals(data)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("skips parts the consumer does not read", async () => {
    const names: string[] = [];
    let last = "";
    for await (const p of parseMultipart(chunked(body([
      { name: "skip", filename: "x", data: Buffer.alloc(5000, 7) },
      { name: "keep", data: "kept" },
    ]), [100]), B)) {
      names.push(p.name);
      if (p.name === "keep") last = await p.text();
    }
    expect(names).toEqual(["skip", "keep"]);
    expect(last).toBe("kept");
  });

  it("rejects a truncated body", async () => {
    const full = body([{ name: "file", filename: "m.onnx", data: Buffer.alloc(1000, 1) }]);
    await expect(collect(chunked(full.subarray(0, 600), [64]))).rejects.toThrow(/truncated|ended/);
  });

  it("rejects a body without the boundary and over-long text fields", async () => {
    await expect(collect(chunked(Buffer.from("just some bytes"), [4]))).rejects.toBeInstanceOf(MultipartError);
    const gen = parseMultipart(chunked(body([{ name: "description", data: "x".repeat(100) }]), [16]), B);
    const first = await gen.next();
    await expect(first.value!.text(10)).rejects.toThrow(/longer than 10 bytes/);
  });

  it("limits the number of parts", async () => {
    const many = body(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: "x" })));
    const src = parseMultipart(chunked(many, [50]), B, { maxParts: 3 });
    await expect((async () => {
      for await (const p of src) await p.text();
    })()).rejects.toThrow(/too many/);
  });
});

describe("multipartBody", () => {
  it("round-trips through parseMultipart", async () => {
    const { multipartBody, newBoundary } = await import("./multipart-body");
    const boundary = newBoundary();
    const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    async function* fileChunks() {
      for (let i = 0; i < file.length; i += 700) yield file.subarray(i, i + 700);
    }
    const parts = await collect(multipartBody(boundary, [
      { name: "description", value: "a \"quoted\" text" },
      { name: "file", filename: "m.onnx", data: fileChunks() },
    ]), boundary);
    expect(parts[0].data.toString()).toBe('a "quoted" text');
    expect(parts[1].filename).toBe("m.onnx");
    expect(parts[1].data.equals(file)).toBe(true);
  });
});
