/** Http1Server framing: request heads, bodies, chunked encoding, pipelining, answers on the wire. Shared harness: http1-test-kit.ts. */
import { afterEach, describe, expect, it } from "vitest";
import { sha, start, Raw, json, GET, post, chunkedPost, stopStarted } from "./http1-test-kit";

afterEach(stopStarted);

describe("Http1Server framing", () => {
  it("answers pipelined requests in order, each once, including bodies, HEAD and a delayed one", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    c.bodiless.add(3);
    await c.write(
      GET("/delay?ms=30") +
        post("/p", "hello").toString("latin1") +
        chunkedPost("/c", ["abc", "de"]) +
        ["HEAD /h HTTP/1.1", "Host: test", "", ""].join("\r\n") +
        GET("/last"),
    );
    const answers = await c.answer(5);
    expect(answers.map((a) => a.headers["x-url"])).toEqual(["/delay?ms=30", "/p", "/c", "/h", "/last"]);
    expect(json(answers[1])).toMatchObject({ length: 5, sha: sha(Buffer.from("hello")) });
    expect(json(answers[2])).toMatchObject({ length: 5, sha: sha(Buffer.from("abcde")) });
    expect(Number(answers[3].headers["content-length"])).toBeGreaterThan(0);
    expect(answers[3].body.length).toBe(0);
    // Nothing more arrives: one more request gets exactly one more answer.
    await c.write(GET("/again"));
    expect((await c.answer(6))[5].headers["x-url"]).toBe("/again");
    expect(c.answers).toHaveLength(6);
  });

  it("answers the same to a pipelined batch split at every byte offset", async () => {
    const h = await start();
    const batch = Buffer.from(
      "\r\n" +
        GET("/a", "X-Repeat: 1", "x-repeat: 2") +
        post("/b", "hello", "Expect: 100-continue").toString("latin1") +
        chunkedPost("/c?q=1", ["abc", "\x00\xff", "z"]).replace("3\r\n", "3;ext=1\r\n").replace("0\r\n\r\n", "0\r\nTrailer: t\r\n\r\n") +
        ["HEAD /d HTTP/1.1", "Host: test", "", ""].join("\r\n") +
        ["GET http://test/e HTTP/1.1", "Host: test", "Connection: close", "", ""].join("\r\n"),
      "latin1",
    );
    const summary = (c: Raw) => ({
      answers: c.answers.map((a) => ({ status: a.status, url: a.headers["x-url"], connection: a.headers.connection, body: a.body.length ? { ...json(a), headers: undefined } : "" })),
      interim: c.interim.length,
    });
    const whole = await Raw.connect(h.port);
    whole.bodiless.add(3);
    await whole.write(batch);
    await whole.whenClosed();
    const expected = summary(whole);
    expect(expected.answers.map((a) => a.url)).toEqual(["/a", "/b", "/c?q=1", "/d", "/e"]);
    expect(expected.answers[4].connection).toBe("close");

    const offsets = Array.from({ length: batch.length - 1 }, (_, i) => i + 1);
    for (let i = 0; i < offsets.length; i += 50) {
      await Promise.all(
        offsets.slice(i, i + 50).map(async (at) => {
          const c = await Raw.connect(h.port);
          c.bodiless.add(3);
          await c.write(batch.subarray(0, at));
          await new Promise((r) => setImmediate(r));
          await c.write(batch.subarray(at));
          await c.whenClosed();
          const got = summary(c);
          // 100 Continue is sent only when no body byte came with the head, so it depends on the split.
          expect({ ...got, interim: 0 }, `split at ${at}`).toEqual({ ...expected, interim: 0 });
          expect(got.interim).toBeLessThanOrEqual(1);
        }),
      );
    }
  });

  it("answers the same whatever the fragments (random multi-way splits)", async () => {
    const { default: fc } = await import("fast-check");
    const h = await start();
    const batch = Buffer.from(GET("/1") + chunkedPost("/2", ["a".repeat(300), "b", "c".repeat(70)]) + post("/3", "x".repeat(200)).toString() + GET("/4", "Connection: close"));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: batch.length - 1 }), { maxLength: 8 }), async (cuts) => {
        const c = await Raw.connect(h.port);
        let from = 0;
        for (const to of [...new Set(cuts)].sort((a, b) => a - b).concat(batch.length)) {
          await c.write(batch.subarray(from, to));
          from = to;
        }
        await c.whenClosed();
        expect(c.answers.map((a) => [a.headers["x-url"], json(a).length])).toEqual([
          ["/1", 0],
          ["/2", 371],
          ["/3", 200],
          ["/4", 0],
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it("sends 100 Continue before the body, then the answer", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Content-Length: 2000", "Expect: 100-continue", "", ""].join("\r\n"));
    await c.until(() => c.interim.length === 1, "100 Continue");
    expect(c.text()).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    const body = Buffer.alloc(2000, 5);
    await c.write(body);
    const [a] = await c.answer(1);
    expect(a.status).toBe(200);
    expect(json(a)).toMatchObject({ length: 2000, sha: sha(body) });
    // Also for a chunked body, and not for an empty one.
    await c.write(["POST /up2 HTTP/1.1", "Host: test", "Transfer-Encoding: chunked", "Expect: 100-continue", "", ""].join("\r\n"));
    await c.until(() => c.interim.length === 2, "the second 100 Continue");
    await c.write("3\r\nabc\r\n0\r\n\r\n");
    await c.write(["POST /up3 HTTP/1.1", "Host: test", "Content-Length: 0", "Expect: 100-continue", "", ""].join("\r\n"));
    const answers = await c.answer(3);
    expect(json(answers[1])).toMatchObject({ length: 3 });
    expect(answers[2].status).toBe(200);
    expect(c.interim).toHaveLength(2);
  });

  it("answers 413 without 100 Continue when the announced body is too large, and closes", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Content-Length: 1001", "Expect: 100-continue", "", ""].join("\r\n"));
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    expect(json(a)).toEqual({ error: "request body is larger than 1000 bytes" });
    await c.whenClosed();
    expect(c.interim).toHaveLength(0);
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 413 to a Content-Length over the limit while the client keeps sending, then closes", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port, true);
    await c.write(post("/up", Buffer.alloc(1001)));
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    await c.until(() => c.ended, "the server's FIN");
    // The server discards what still arrives rather than resetting the connection.
    await c.write(Buffer.alloc(300_000));
    c.socket.end();
    await c.whenClosed();
    expect(c.error).toBeUndefined();
    expect(c.answers).toHaveLength(1);
    // A body exactly at the limit is fine.
    const ok = await Raw.connect(h.port);
    await ok.write(post("/up", Buffer.alloc(1000, 1)));
    expect(json((await ok.answer(1))[0])).toMatchObject({ length: 1000 });
  });

  it("answers 413 to a chunked body over the limit as soon as its size is read", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Transfer-Encoding: chunked", "", "3e8", ""].join("\r\n") + "a".repeat(1000) + "\r\n1\r\n");
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    await c.whenClosed();
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 431 to a head over maxHeaderBytes, complete or not", async () => {
    const h = await start({ maxHeaderBytes: 1024 });
    const big = await Raw.connect(h.port);
    await big.write(GET("/", `X-Big: ${"a".repeat(2000)}`));
    expect((await big.answer(1))[0].status).toBe(431);
    await big.whenClosed();
    const endless = await Raw.connect(h.port);
    await endless.write(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(1100)}`);
    const [a] = await endless.answer(1);
    expect(a.status).toBe(431);
    expect(a.headers.connection).toBe("close");
    await endless.whenClosed();
    const fine = await Raw.connect(h.port);
    await fine.write(GET("/", `X-Big: ${"a".repeat(900)}`));
    expect((await fine.answer(1))[0].status).toBe(200);
  });

  it.each<[string, number, string]>([
    ["a garbage request line", 400, "HELLO\r\n\r\n"],
    ["a missing Host", 400, "GET / HTTP/1.1\r\n\r\n"],
    ["Content-Length with Transfer-Encoding", 400, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["obs-fold", 400, "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n"],
    ["a bare LF in a value", 400, "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\nX-B: b\r\n\r\n"],
    ["a bad chunk size", 400, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    ["gzip transfer coding", 501, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n"],
    ["HTTP/2 preface", 505, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["a bad Expect", 417, "GET / HTTP/1.1\r\nHost: t\r\nExpect: foo\r\n\r\n"],
    ["TLS", 400, "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n"],
  ])("refuses %s with %i as JSON and closes", async (_what, status, wire) => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(wire);
    const [a] = await c.answer(1);
    expect(a.status).toBe(status);
    expect(a.headers["content-type"]).toBe("application/json");
    expect(a.headers.connection).toBe("close");
    expect(typeof json(a).error).toBe("string");
    await c.whenClosed();
    expect(c.answers).toHaveLength(1);
    expect(h.server.inFlight).toBe(0);
  });

  it("refuses a malformed request pipelined after a good one, answering the good one first", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/delay?ms=20") + "GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n" + GET("/never"));
    await c.whenClosed();
    expect(c.answers.map((a) => a.status)).toEqual([200, 400]);
  });

  it("closes an HTTP/1.0 connection after the answer unless it asked for keep-alive", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write("GET /a HTTP/1.0\r\n\r\n");
    const [a] = await c.answer(1);
    expect(a.headers.connection).toBe("close");
    await c.whenClosed();

    const k = await Raw.connect(h.port);
    await k.write("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect((await k.answer(1))[0].headers.connection).toBe("keep-alive");
    await k.write("POST /c HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi");
    const second = (await k.answer(2))[1];
    expect(json(second)).toMatchObject({ httpVersion: "1.0", length: 2 });
    await k.write("GET /d HTTP/1.0\r\n\r\n");
    expect((await k.answer(3))[2].headers.connection).toBe("close");
    await k.whenClosed();
  });

  it("closes after answering a 1.1 request with Connection: close, and when the handler asks", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/a", "Connection: close") + GET("/never"));
    await c.whenClosed();
    expect(c.answers).toHaveLength(1);
    expect(c.answers[0].headers.connection).toBe("close");

    const d = await Raw.connect(h.port);
    await d.write(GET("/close") + GET("/never"));
    await d.whenClosed();
    expect(d.answers.map((a) => [a.body.toString(), a.headers.connection])).toEqual([["bye", "close"]]);
  });

  it("writes its own framing headers whatever case the handler uses for them", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/upper"));
    const [a] = await c.answer(1);
    expect(a.fields.filter(([k]) => k === "content-length")).toEqual([["content-length", "3"]]);
    expect(a.fields.filter(([k]) => k === "transfer-encoding")).toEqual([]);
    expect(a.fields.filter(([k]) => k === "date")).toHaveLength(1);
    expect(a.headers.date).not.toBe("yesterday");
    expect(a.headers["x-kept"]).toBe("yes");
    expect(a.body.toString()).toBe("abc");
  });

  it("reads a head repeated on a connection as sent, and one differing in any byte as itself", async () => {
    // The connection reuses the parse of a head equal byte for byte to its previous one: these differ from their
    // neighbours in the length, a header's value, the target, or not at all — whole, pipelined, and a byte at a time.
    const requests = [
      post("/p", "ab"),
      post("/p", "ab"),
      post("/p", "abc"),
      post("/p", "xyz"),
      post("/p", "ab", "X-A: 1"),
      post("/p", "ab", "X-A: 2"),
      post("/q", "ab", "X-A: 2"),
      post("/p", "ab"),
      Buffer.from(GET("/p")),
      post("/p", "ab"),
      // Heads over the size the connection remembers are parsed every time.
      post("/p", "ab", `X-Big: ${"a".repeat(2500)}`),
      post("/p", "ab", `X-Big: ${"a".repeat(2500)}`),
      post("/p", "abc", `X-Big: ${"a".repeat(2500)}`),
    ];
    const expected = [
      ["/p", 2, undefined],
      ["/p", 2, undefined],
      ["/p", 3, undefined],
      ["/p", 3, undefined],
      ["/p", 2, "1"],
      ["/p", 2, "2"],
      ["/q", 2, "2"],
      ["/p", 2, undefined],
      ["/p", 0, undefined],
      ["/p", 2, undefined],
      ["/p", 2, undefined],
      ["/p", 2, undefined],
      ["/p", 3, undefined],
    ];
    const h = await start();
    const seen = (c: Raw) => c.answers.map((a) => [json(a).url, json(a).length, (json(a).headers as Record<string, string>)["x-a"]]);
    const oneByOne = await Raw.connect(h.port);
    for (const r of requests) {
      await oneByOne.write(r);
      await oneByOne.answer(oneByOne.answers.length + 1);
    }
    expect(seen(oneByOne)).toEqual(expected);
    const pipelined = await Raw.connect(h.port);
    await pipelined.write(Buffer.concat(requests));
    await pipelined.answer(requests.length);
    expect(seen(pipelined)).toEqual(expected);
    const byteByByte = await Raw.connect(h.port);
    for (const b of Buffer.concat(requests)) await byteByByte.write(Buffer.from([b]));
    await byteByByte.answer(requests.length);
    expect(seen(byteByByte)).toEqual(expected);
    expect(json(byteByByte.answers[3]).sha).toBe(sha(Buffer.from("xyz")));
  });

  it("writes large answers whole", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/big?size=300000") + GET("/big?size=10"));
    const answers = await c.answer(2);
    expect(answers[0].body.equals(Buffer.alloc(300_000, 97))).toBe(true);
    expect(answers[1].body.toString()).toBe("a".repeat(10));
  });
});
