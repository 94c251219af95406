/** Http1Server with real clients: fetch, node:http and curl. Shared harness: http1-test-kit.ts. */
import { afterEach, describe, expect, it } from "vitest";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { sha, start, httpRequest, run, CURL, stopStarted } from "./http1-test-kit";

afterEach(stopStarted);

describe("Http1Server with real clients", () => {
  it("answers fetch GET and POST, with date and content-length", async () => {
    const h = await start();
    const res = await fetch(`${h.url}/v2/models?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("date")).toBe(new Date(Date.parse(res.headers.get("date")!)).toUTCString());
    expect(Math.abs(Date.parse(res.headers.get("date")!) - Date.now())).toBeLessThan(5_000);
    const got = (await res.json()) as Record<string, unknown>;
    expect(got).toMatchObject({ method: "GET", url: "/v2/models?x=1", httpVersion: "1.1", length: 0 });
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(got))));

    const body = Buffer.alloc(50_000, 7);
    const posted = await fetch(`${h.url}/infer`, { method: "POST", body, headers: { "content-type": "application/octet-stream", "X-Custom": "a" } });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ method: "POST", length: body.length, sha: sha(body), headers: { "content-type": "application/octet-stream", "x-custom": "a" } });
  });

  it("sends a string answer as UTF-8 with its byte length, small or large, and a HEAD answer without it", async () => {
    const h = await start();
    for (const [text, repeat] of [["café ✓ 日本 🚀", 1], ["é✓", 40_000]] as const) {
      const res = await fetch(`${h.url}/text?text=${encodeURIComponent(text)}&repeat=${repeat}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.toString("utf8")).toBe(text.repeat(repeat));
      expect(res.headers.get("content-length")).toBe(String(bytes.length));
      expect(bytes.length).toBe(Buffer.byteLength(text) * repeat);
    }
    const head = await fetch(`${h.url}/text?text=${encodeURIComponent("日本")}`, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe("6");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers fetch with a streamed (chunked) body", async () => {
    const h = await start();
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(1, 2), Buffer.alloc(20_000, 3)];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new Uint8Array(p));
        c.close();
      },
    });
    const res = await fetch(`${h.url}/s`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    const got = (await res.json()) as { length: number; sha: string; headers: Record<string, string> };
    expect(got.headers["transfer-encoding"]).toBe("chunked");
    expect(got.length).toBe(21_001);
    expect(got.sha).toBe(sha(Buffer.concat(parts)));
  });

  it("serves node:http's client over one kept-alive socket, including chunked uploads and HEAD", async () => {
    const h = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const base = { host: "127.0.0.1", port: h.port, agent };
      const first = await httpRequest({ ...base, path: "/one" });
      expect(first.reused).toBe(false);
      expect(JSON.parse(first.body.toString())).toMatchObject({ url: "/one" });
      const chunked = await httpRequest({ ...base, method: "POST", path: "/two", body: ["abc", "defgh", "i"] });
      expect(chunked.reused).toBe(true);
      expect(JSON.parse(chunked.body.toString())).toMatchObject({ length: 9, sha: sha(Buffer.from("abcdefghi")), headers: { "transfer-encoding": "chunked" } });
      const head = await httpRequest({ ...base, method: "HEAD", path: "/three" });
      expect(head.reused).toBe(true);
      expect(Number(head.res.headers["content-length"])).toBeGreaterThan(0);
      expect(head.body.length).toBe(0);
      const fixed = await httpRequest({ ...base, method: "PUT", path: "/four", body: Buffer.from("xyz"), headers: { "content-length": 3 } });
      expect(fixed.reused).toBe(true);
      expect(JSON.parse(fixed.body.toString())).toMatchObject({ method: "PUT", length: 3 });
      expect(h.server.connections.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("keeps a fetch connection alive across requests", async () => {
    const h = await start();
    for (let i = 0; i < 10; i++) expect(await (await fetch(`${h.url}/k${i}`)).json()).toMatchObject({ url: `/k${i}` });
    // undici opens a second socket for the second request (it does the same with node:http), then reuses both.
    expect(h.server.connections.size).toBeLessThanOrEqual(2);
  });

  it.skipIf(!CURL)("answers curl's Expect: 100-continue upload with 100 first", async () => {
    const h = await start();
    const dir = mkdtempSync(path.join(tmpdir(), "http1-"));
    try {
      const file = path.join(dir, "body");
      const body = Buffer.alloc(5000, 9);
      writeFileSync(file, body);
      const { stdout, stderr } = await run(CURL!, ["-sS", "-v", "--expect100-timeout", "30", "-H", "Expect: 100-continue", "--data-binary", `@${file}`, `${h.url}/up`]);
      expect(stderr).toMatch(/< HTTP\/1\.1 100 Continue/);
      expect(stderr).toMatch(/< HTTP\/1\.1 200 OK/);
      expect(stderr.indexOf("100 Continue")).toBeLessThan(stderr.indexOf("200 OK"));
      expect(JSON.parse(stdout)).toMatchObject({ method: "POST", length: body.length, sha: sha(body) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!CURL)("answers curl --http1.0 and closes", async () => {
    const h = await start();
    const { stdout } = await run(CURL!, ["-sS", "-i", "--http1.0", `${h.url}/old`]);
    const [head, body] = stdout.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.toLowerCase()).toContain("connection: close");
    expect(JSON.parse(body)).toMatchObject({ httpVersion: "1.0", url: "/old" });
  });

  it("answers 413 to a fetch whose body is too large (not a reset)", async () => {
    const h = await start({ maxBodyBytes: 1000, tooLargeMessage: (limit) => `over ${limit}` });
    const res = await fetch(`${h.url}/big`, { method: "POST", body: Buffer.alloc(200_000, 1) });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ error: "over 1000" });
  });
});
