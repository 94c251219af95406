import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { isOipError } from "@/lib/oip/oip-error";
import { answerEncoding, compressAnswer, inflateBody } from "./content-encoding";

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!isOipError(e)) throw e;
    return { status: e.status, message: e.message };
  }
  throw new Error("expected a refusal");
}

describe("inflateBody", () => {
  const body = Buffer.from(JSON.stringify({ inputs: [{ name: "x", data: Array.from({ length: 500 }, (_, i) => i) }] }));

  it.each([
    ["gzip", zlib.gzipSync(body)],
    ["x-gzip", zlib.gzipSync(body)],
    ["deflate", zlib.deflateSync(body)],
    [" GZIP ", zlib.gzipSync(body)],
  ])("inflates %s", async (encoding, sent) => {
    expect(await inflateBody(sent, encoding, 1 << 20)).toEqual(body);
  });

  it("passes identity and no encoding through as they are", async () => {
    expect(await inflateBody(body, undefined, 10)).toBe(body);
    expect(await inflateBody(body, "identity", 10)).toBe(body);
  });

  it("refuses a body that inflates past the limit (413), corrupt data (400) and encodings it does not know (415)", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(5_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    expect(await refusal(inflateBody(bomb, "gzip", 1 << 20))).toEqual({ status: 413, message: `the request body inflates to more than the limit of ${1 << 20} bytes (FERRY_MAX_REQUEST_BYTES)` });
    expect(await refusal(inflateBody(body, "gzip", 1 << 20))).toEqual({ status: 400, message: "the request body is not valid gzip data (Content-Encoding: gzip)" });
    expect(await refusal(inflateBody(body, "br", 1 << 20))).toEqual({ status: 415, message: "Content-Encoding 'br' is not supported: send the body as gzip, deflate or identity" });
    expect((await refusal(inflateBody(body, "__proto__", 1 << 20))).status).toBe(415);
  });
});

describe("answerEncoding", () => {
  it.each([
    ["gzip, deflate", "gzip"],
    ["deflate", "deflate"],
    ["br;q=1.0, deflate;q=0.5", "deflate"],
    ["gzip;q=0, deflate", "deflate"],
    ["gzip;q=0", undefined],
    ["identity", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%j → %s", (accept, want) => {
    expect(answerEncoding(accept)).toBe(want);
  });
});

describe("compressAnswer", () => {
  it("writes what zlib reads back, from text or bytes", async () => {
    expect(zlib.gunzipSync(await compressAnswer('{"a":1}', "gzip")).toString()).toBe('{"a":1}');
    expect(zlib.inflateSync(await compressAnswer(Buffer.from([1, 2, 3]), "deflate"))).toEqual(Buffer.from([1, 2, 3]));
  });
});
