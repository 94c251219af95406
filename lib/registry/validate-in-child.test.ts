import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateInChild } from "./validate-in-child";
import { mlpModel, externalDataModel } from "./test-models";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-validate-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe("validateInChild", () => {
  it("validates a real model in a child process and summarizes its reference dataset", async () => {
    const modelPath = write("mlp.onnx", mlpModel({ inputs: 3, hidden: 4, outputs: 2 }));
    const referencePath = write("ref.csv", "a,b,c\n1,2,3\n4,5,6\n");
    const r = await validateInChild({ modelPath, referencePath, referenceFormat: "csv" });
    expect(r).toMatchObject({
      ok: true,
      smoke: "ran",
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3] }], outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 2] }] },
      referenceSummary: { rows: 2, columns: 3 },
    });
    expect(r.validationMs).toBeGreaterThan(0);
  });

  it("reports rejections with their reason", async () => {
    const r = await validateInChild({ modelPath: write("ext.onnx", externalDataModel()) });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/refers to external data at "\.\.\/\.\.\/etc\/passwd"/);
  });

  it("turns a crash into a readable failure", async () => {
    const childPath = write("crash.ts", "process.stderr.write('Error: boom in native code\\n'); process.abort();\n");
    const r = await validateInChild({ modelPath: "/nonexistent", childPath });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^the validator crashed while loading the model \(signal SIGABRT: Error: boom in native code\)/);
  });

  it("kills a validator that hangs", async () => {
    const childPath = write("hang.ts", "setInterval(() => {}, 1000); for (;;) {}\n");
    const started = Date.now();
    const r = await validateInChild({ modelPath: "/nonexistent", childPath, timeoutMs: 1500 });
    expect(r).toMatchObject({ ok: false, reason: "validation timed out after 2 s" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("kills a validator that allocates too much native memory", async () => {
    const childPath = write("hog.ts", "const keep: Buffer[] = []; setInterval(() => keep.push(Buffer.alloc(64 * 1024 * 1024, 1)), 20);\n");
    const r = await validateInChild({ modelPath: "/nonexistent", childPath, maxRssBytes: 300 * 1024 * 1024, timeoutMs: 10_000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/more than 300 MiB of memory/);
  });
});
