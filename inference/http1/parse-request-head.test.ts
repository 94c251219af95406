import { describe, expect, it } from "vitest";
import { HttpError, parseRequestHead } from "./parse-request-head";

/** A head from its lines (request line first), joined as on the wire but without the final CRLF CRLF. */
function head(...lines: string[]): string {
  return lines.join("\r\n");
}

function refusal(text: string): { status: number; message: string } {
  try {
    parseRequestHead(text);
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return { status: (e as HttpError).status, message: (e as HttpError).message };
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe("parseRequestHead: valid heads", () => {
  it("parses a plain GET", () => {
    const h = parseRequestHead(head("GET /v2/health/ready?x=1 HTTP/1.1", "Host: example.com", "Accept: */*"));
    expect(h).toMatchObject({
      method: "GET",
      url: "/v2/health/ready?x=1",
      httpVersion: "1.1",
      contentLength: 0,
      chunked: false,
      keepAlive: true,
      expectContinue: false,
    });
    expect({ ...h.headers }).toEqual({ host: "example.com", accept: "*/*" });
  });

  it.each(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "M-SEARCH", "get", "X_Custom!"])("accepts the token method %s", (m) => {
    expect(parseRequestHead(head(`${m} / HTTP/1.1`, "Host: h")).method).toBe(m);
  });

  it.each([
    ["http://example.com/a/b?c=d", "/a/b?c=d"],
    ["https://example.com:8443/x", "/x"],
    ["http://example.com", "/"],
    ["http://example.com?q=1", "/?q=1"],
    ["http://user@example.com/p", "/p"],
    ["*", "*"],
    ["/", "/"],
    ["/%7Efoo/b%20ar?a=%00", "/%7Efoo/b%20ar?a=%00"],
  ])("maps the target %s to %s", (target, url) => {
    expect(parseRequestHead(head(`OPTIONS ${target} HTTP/1.1`, "Host: h")).url).toBe(url);
  });

  it("keeps obs-text (bytes 0x80-0xff) in targets and values, decoded one char per byte", () => {
    const h = parseRequestHead(head("GET /caf\xe9 HTTP/1.1", "Host: h", "X-Name: caf\xe9"));
    expect(h.url).toBe("/caf\xe9");
    expect(h.headers["x-name"]).toBe("caf\xe9");
  });

  it("applies the HTTP/1.1 and HTTP/1.0 keep-alive rules", () => {
    const ka = (version: string, ...fields: string[]) => parseRequestHead(head(`GET / ${version}`, "Host: h", ...fields)).keepAlive;
    expect(ka("HTTP/1.1")).toBe(true);
    expect(ka("HTTP/1.1", "Connection: close")).toBe(false);
    expect(ka("HTTP/1.1", "Connection: CLOSE")).toBe(false);
    expect(ka("HTTP/1.1", "Connection: keep-alive")).toBe(true);
    expect(ka("HTTP/1.1", "Connection: Upgrade, close")).toBe(false);
    expect(ka("HTTP/1.1", "Connection: te", "Connection: close")).toBe(false);
    expect(ka("HTTP/1.1", "Connection: closed")).toBe(true);
    expect(ka("HTTP/1.0")).toBe(false);
    expect(ka("HTTP/1.0", "Connection: keep-alive")).toBe(true);
    expect(ka("HTTP/1.0", "Connection: Keep-Alive")).toBe(true);
    expect(ka("HTTP/1.0", "Connection: foo ,  keep-alive ")).toBe(true);
    expect(ka("HTTP/1.0", "Connection: keep-alives")).toBe(false);
  });

  it("accepts HTTP/1.0 without Host", () => {
    const h = parseRequestHead("GET / HTTP/1.0");
    expect(h.httpVersion).toBe("1.0");
    expect({ ...h.headers }).toEqual({});
  });

  it("accepts an empty Host on HTTP/1.1", () => {
    expect(parseRequestHead(head("GET / HTTP/1.1", "Host:")).headers.host).toBe("");
  });

  it("lower-cases names and joins repeated fields with ', ' in order", () => {
    const h = parseRequestHead(head("GET / HTTP/1.1", "Host: h", "X-A: 1", "x-a: 2", "X-B: b", "X-A: 3"));
    expect(h.headers["x-a"]).toBe("1, 2, 3");
    expect(h.headers["x-b"]).toBe("b");
  });

  it("trims optional whitespace (spaces and tabs) around values but keeps it inside", () => {
    const h = parseRequestHead(head("GET / HTTP/1.1", "Host: h", "X-A: \t a \t b \t ", "X-B:c", "X-C:   ", "X-D:\t"));
    expect(h.headers["x-a"]).toBe("a \t b");
    expect(h.headers["x-b"]).toBe("c");
    expect(h.headers["x-c"]).toBe("");
    expect(h.headers["x-d"]).toBe("");
  });

  it("reads fields named like Object.prototype members as sent", () => {
    const h = parseRequestHead(head("GET / HTTP/1.1", "Host: h", "Constructor: a", "__proto__: b", "__proto__: c"));
    expect(h.headers["constructor"]).toBe("a");
    expect(h.headers["__proto__"]).toBe("b, c");
    expect(Object.keys(h.headers).sort()).toEqual(["__proto__", "constructor", "host"]);
    expect(h.headers["hasownproperty"]).toBeUndefined();
  });

  it("reads Content-Length, also repeated with the same value", () => {
    const cl = (...fields: string[]) => parseRequestHead(head("POST / HTTP/1.1", "Host: h", ...fields)).contentLength;
    expect(cl("Content-Length: 0")).toBe(0);
    expect(cl("Content-Length: 42")).toBe(42);
    expect(cl("Content-Length: 007")).toBe(7);
    expect(cl("content-length:  5 ")).toBe(5);
    expect(cl("Content-Length: 5, 5")).toBe(5);
    expect(cl("Content-Length: 5,5,5")).toBe(5);
    expect(cl("Content-Length: 5", "Content-Length: 5")).toBe(5);
    expect(cl("Content-Length: 999999999999999")).toBe(999999999999999);
    expect(cl()).toBe(0);
  });

  it("reads Transfer-Encoding: chunked in any case", () => {
    for (const te of ["chunked", "Chunked", "CHUNKED", " chunked "]) {
      const h = parseRequestHead(head("POST / HTTP/1.1", "Host: h", `Transfer-Encoding:${te}`));
      expect(h.chunked).toBe(true);
      expect(h.contentLength).toBe(0);
    }
  });

  it("reads Expect: 100-continue on HTTP/1.1 and ignores it on HTTP/1.0", () => {
    expect(parseRequestHead(head("POST / HTTP/1.1", "Host: h", "Expect: 100-continue", "Content-Length: 3")).expectContinue).toBe(true);
    expect(parseRequestHead(head("POST / HTTP/1.1", "Host: h", "Expect: 100-Continue", "Content-Length: 3")).expectContinue).toBe(true);
    expect(parseRequestHead(head("POST / HTTP/1.0", "Expect: 100-continue", "Content-Length: 3")).expectContinue).toBe(false);
  });

  it("accepts exactly 100 fields", () => {
    const fields = Array.from({ length: 99 }, (_, i) => `X-F${i}: ${i}`);
    const h = parseRequestHead(head("GET / HTTP/1.1", "Host: h", ...fields));
    expect(Object.keys(h.headers)).toHaveLength(100);
  });
});

describe("parseRequestHead: refusals", () => {
  it.each<[string, string, number]>([
    ["missing Host on HTTP/1.1", head("GET / HTTP/1.1", "Accept: */*"), 400],
    ["two Host fields", head("GET / HTTP/1.1", "Host: a", "Host: b"), 400],
    ["two equal Host fields", head("GET / HTTP/1.1", "Host: a", "Host: a"), 400],
    ["Content-Length and Transfer-Encoding", head("POST / HTTP/1.1", "Host: h", "Content-Length: 5", "Transfer-Encoding: chunked"), 400],
    ["Transfer-Encoding and Content-Length", head("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "Content-Length: 5"), 400],
    ["differing Content-Lengths (two fields)", head("POST / HTTP/1.1", "Host: h", "Content-Length: 5", "Content-Length: 6"), 400],
    ["differing Content-Lengths (one list)", head("POST / HTTP/1.1", "Host: h", "Content-Length: 5, 6"), 400],
    ["an empty Content-Length list member", head("POST / HTTP/1.1", "Host: h", "Content-Length: 5,,5"), 400],
    ["empty Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length:"), 400],
    ["signed Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length: +5"), 400],
    ["negative Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length: -1"), 400],
    ["hex Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length: 0x10"), 400],
    ["fractional Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length: 1.0"), 400],
    ["Content-Length with a space inside", head("POST / HTTP/1.1", "Host: h", "Content-Length: 1 0"), 400],
    ["16-digit Content-Length", head("POST / HTTP/1.1", "Host: h", "Content-Length: 1000000000000000"), 400],
    ["Transfer-Encoding gzip", head("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: gzip"), 501],
    ["Transfer-Encoding gzip, chunked", head("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: gzip, chunked"), 501],
    ["Transfer-Encoding chunked twice", head("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), 501],
    ["Transfer-Encoding identity", head("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: identity"), 501],
    ["Transfer-Encoding on HTTP/1.0", head("POST / HTTP/1.0", "Transfer-Encoding: chunked"), 400],
    ["obs-fold (space)", head("GET / HTTP/1.1", "Host: h", "X-A: a", " b"), 400],
    ["obs-fold (tab)", head("GET / HTTP/1.1", "Host: h", "X-A: a", "\tb"), 400],
    ["obs-fold with a colon", head("GET / HTTP/1.1", "Host: h", "X-A: a", " b: c"), 400],
    ["whitespace before the colon", head("GET / HTTP/1.1", "Host : h"), 400],
    ["a field without colon", head("GET / HTTP/1.1", "Host: h", "NoColon"), 400],
    ["an empty field name", head("GET / HTTP/1.1", "Host: h", ": v"), 400],
    ["a field name with a space", head("GET / HTTP/1.1", "Host: h", "X A: v"), 400],
    ["a field name with a non-token char", head("GET / HTTP/1.1", "Host: h", "X(A): v"), 400],
    ["a field name with obs-text", head("GET / HTTP/1.1", "Host: h", "X\xe9: v"), 400],
    ["a bare LF in a value", head("GET / HTTP/1.1", "Host: h", "X-A: a\nX-B: b"), 400],
    ["a bare LF ending a field", head("GET / HTTP/1.1", "Host: h\nX-A: a"), 400],
    ["a bare CR in a value", head("GET / HTTP/1.1", "Host: h", "X-A: a\rb"), 400],
    ["a NUL in a value", head("GET / HTTP/1.1", "Host: h", "X-A: a\x00b"), 400],
    ["a DEL in a value", head("GET / HTTP/1.1", "Host: h", "X-A: a\x7fb"), 400],
    ["an ESC in a value", head("GET / HTTP/1.1", "Host: h", "X-A: \x1b[31m"), 400],
    ["a bare LF in the request line", head("GET / HTTP/1.1\nHost: h"), 400],
    ["a bare LF ending the request line", head("GET /\n HTTP/1.1", "Host: h"), 400],
    ["a bare CR in the target", head("GET /a\rb HTTP/1.1", "Host: h"), 400],
    ["an empty request line", head("", "Host: h"), 400],
    ["a request line with one part", head("GET", "Host: h"), 400],
    ["a request line with two parts", head("GET /", "Host: h"), 400],
    ["a request line with four parts", head("GET / x HTTP/1.1", "Host: h"), 400],
    ["two spaces after the method", head("GET  / HTTP/1.1", "Host: h"), 400],
    ["a leading space", head(" GET / HTTP/1.1", "Host: h"), 400],
    ["a trailing space", head("GET / HTTP/1.1 ", "Host: h"), 400],
    ["a tab as separator", head("GET\t/ HTTP/1.1", "Host: h"), 400],
    ["a method with a non-token char", head("GE(T / HTTP/1.1", "Host: h"), 400],
    ["a method with obs-text", head("G\xe9T / HTTP/1.1", "Host: h"), 400],
    ["a relative target", head("GET foo HTTP/1.1", "Host: h"), 400],
    ["an authority-form target", head("CONNECT example.com:443 HTTP/1.1", "Host: h"), 400],
    ["a target with a NUL", head("GET /a\x00 HTTP/1.1", "Host: h"), 400],
    ["a target with a DEL", head("GET /a\x7f HTTP/1.1", "Host: h"), 400],
    ["HTTP/2.0", head("GET / HTTP/2.0", "Host: h"), 505],
    ["HTTP/2", head("GET / HTTP/2", "Host: h"), 505],
    ["HTTP/3", head("GET / HTTP/3", "Host: h"), 505],
    ["HTTP/1.2", head("GET / HTTP/1.2", "Host: h"), 505],
    ["HTTP/0.9", head("GET / HTTP/0.9", "Host: h"), 505],
    ["the HTTP/2 preface", head("PRI * HTTP/2.0"), 505],
    ["a lower-case version", head("GET / http/1.1", "Host: h"), 400],
    ["a garbage version", head("GET / HTTP/1.1x", "Host: h"), 400],
    ["a two-digit version", head("GET / HTTP/11.1", "Host: h"), 400],
    ["a version with a trailing LF", head("GET / HTTP/1.1\n", "Host: h"), 400],
    ["a version that is not HTTP", head("GET / FTP/1.1", "Host: h"), 400],
    ["101 fields", head("GET / HTTP/1.1", "Host: h", ...Array.from({ length: 100 }, (_, i) => `X-F${i}: ${i}`)), 431],
    ["Expect other than 100-continue", head("POST / HTTP/1.1", "Host: h", "Expect: 200-ok"), 417],
    ["Expect with two expectations", head("POST / HTTP/1.1", "Host: h", "Expect: 100-continue", "Expect: 100-continue"), 417],
    ["Expect other than 100-continue on HTTP/1.0", head("POST / HTTP/1.0", "Expect: foo"), 417],
  ])("refuses %s", (_what, text, status) => {
    expect(refusal(text).status).toBe(status);
  });

  it("says why, and does not echo long values in full", () => {
    expect(refusal(head("GET / HTTP/1.1")).message).toMatch(/Host/);
    expect(refusal(head("POST / HTTP/1.1", "Host: h", "Content-Length: 1", "Transfer-Encoding: chunked")).message).toMatch(/both/);
    expect(refusal(head("GET / HTTP/1.1", "Host: h", "X-A: a", " b")).message).toMatch(/folding/);
    const long = "x".repeat(5000);
    expect(refusal(head("GET / HTTP/9.9" + long, "Host: h")).message.length).toBeLessThan(200);
    expect(refusal(head("POST / HTTP/1.1", "Host: h", `Transfer-Encoding: ${long}`)).message.length).toBeLessThan(200);
    expect(refusal(head("POST / HTTP/1.1", "Host: h", `Expect: ${long}`)).message.length).toBeLessThan(200);
  });

  it("checks the version before the fields (an HTTP/2 preface is 505 whatever follows)", () => {
    expect(refusal(head("PRI * HTTP/2.0", "", "SM")).status).toBe(505);
  });
});

describe("parseRequestHead: lines seen before", () => {
  it("parses a repeated head as the first time, and refuses a bad line every time it comes", () => {
    const text = head("POST /v2/models/m/infer HTTP/1.1", "Host: a", "Authorization:   Bearer t1  ", "X-Dup: 1", "x-dup: 2", "Content-Length: 3");
    const first = parseRequestHead(text);
    expect(parseRequestHead(text)).toEqual(first);
    expect(first.headers).toEqual({ host: "a", authorization: "Bearer t1", "x-dup": "1, 2", "content-length": "3" });
    // The same value under another name, and a line that differs only in its name's case, are their own lines.
    expect(parseRequestHead(head("GET / HTTP/1.1", "host: a", "AUTHORIZATION:   Bearer t1  ")).headers).toEqual({ host: "a", authorization: "Bearer t1" });
    for (let i = 0; i < 2; i++) expect(refusal(head("GET / HTTP/1.1", "Host: a", "Bad Name: x")).status).toBe(400);
    for (let i = 0; i < 2; i++) expect(refusal(head("GET / HTTP/1.1", "Host: a", "X: a\u0001b")).status).toBe(400);
  });
});
