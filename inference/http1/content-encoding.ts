/**
 * Compressed inference bodies, as Triton takes and gives them (tritonclient.http's `request_compression_algorithm`
 * and `response_compression_algorithm`): a request body in `Content-Encoding: gzip` or `deflate` is inflated before it
 * is read (never past the request size limit: a small bomb is a 413, not a large buffer), and an answer of 1 KiB or
 * more goes back compressed when the client's `Accept-Encoding` takes gzip or deflate. zlib runs on libuv's thread
 * pool, so neither holds the HTTP thread. Inference-Header-Content-Length counts the uncompressed JSON, as in Triton.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import { OipError, oipBadRequest } from "@/lib/oip/oip-error";

const inflaters = { gzip: promisify(zlib.gunzip), "x-gzip": promisify(zlib.gunzip), deflate: promisify(zlib.inflate) } as const;
const deflaters = { gzip: promisify(zlib.gzip), deflate: promisify(zlib.deflate) } as const;

/** Answers smaller than this go back as they are: compressing them saves nothing worth the time. */
export const COMPRESS_FROM_BYTES = 1024;

/** The request body as sent before its Content-Encoding (identity: as it is). */
export async function inflateBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return body;
  const inflate = Object.hasOwn(inflaters, encoding) ? inflaters[encoding as keyof typeof inflaters] : undefined;
  if (!inflate) throw new OipError(415, `Content-Encoding '${encoding.slice(0, 40)}' is not supported: send the body as gzip, deflate or identity`);
  try {
    return await inflate(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new OipError(413, `the request body inflates to more than the limit of ${maxBytes} bytes (FERRY_MAX_REQUEST_BYTES)`);
    }
    throw oipBadRequest(`the request body is not valid ${encoding} data (Content-Encoding: ${encoding})`);
  }
}

/** The encoding to answer in: gzip, else deflate, when `Accept-Encoding` takes it (q above 0); else none. */
export function answerEncoding(acceptEncoding: string | undefined): "gzip" | "deflate" | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(name.trim());
  }
  return accepted.has("gzip") ? "gzip" : accepted.has("deflate") ? "deflate" : undefined;
}

export function compressAnswer(body: Buffer | string, encoding: "gzip" | "deflate"): Promise<Buffer> {
  return deflaters[encoding](typeof body === "string" ? Buffer.from(body) : body);
}
