import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseInferRequest } from "@/lib/oip/parse-infer-request";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import { INLINE_ELEMENTS, callVersionExample } from "./call-version-example";

/** What a POSIX shell makes of a word: the word's single argument, as the program receives it. */
function shellArgument(word: string): string {
  return execFileSync("sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });
}

describe("callVersionExample", () => {
  it("pins the version through the endpoint and sends a body the data plane accepts, through a real shell", () => {
    const signature: ModelSignature = { inputs: [{ name: "it's x", datatype: "FP32", shape: [-1, 8] }], outputs: [{ name: "y", datatype: "FP32", shape: [-1, 2] }] };
    const ex = callVersionExample({ inferenceUrl: "http://127.0.0.1:8000/", endpoint: "fraud", version: 3, inputs: signature.inputs });
    expect(ex.url).toBe("http://127.0.0.1:8000/v2/models/fraud/versions/3/infer");
    expect(ex.curl.split(" \\\n")[0]).toBe(`curl -X POST ${ex.url}`);
    const data = ex.curl.split(" \\\n").at(-1)!.replace(/^ {2}-d /, "");
    const body = shellArgument(data);
    expect(body).toBe(ex.body);
    const parsed = parseInferRequest(Buffer.from(body), {}, signature, { maxElements: 1 << 20, maxDims: 8 });
    expect(parsed.inputs.get("it's x")?.shape).toEqual([1, 8]);
  });

  it("reads a large request from a file and says what it must hold", () => {
    const inputs = [{ name: "image", datatype: "FP32" as const, shape: [-1, 3, 224, 224] }];
    const ex = callVersionExample({ inferenceUrl: "http://h:1", endpoint: "vision", version: 1, inputs });
    expect(ex.body).toBeUndefined();
    expect(ex.curl).toMatch(/-d @request\.json$/);
    expect(ex.fileInputs).toEqual([{ name: "image", datatype: "FP32", shape: [1, 3, 224, 224], elements: 150_528 }]);
    // The bound is on all inputs together.
    const small = callVersionExample({ inferenceUrl: "http://h:1", endpoint: "e", version: 1, inputs: [{ name: "a", datatype: "INT64", shape: [INLINE_ELEMENTS] }] });
    expect(small.body).toBeDefined();
    const two = callVersionExample({ inferenceUrl: "http://h:1", endpoint: "e", version: 1, inputs: [{ name: "a", datatype: "INT64", shape: [INLINE_ELEMENTS] }, { name: "b", datatype: "INT64", shape: [1] }] });
    expect(two.body).toBeUndefined();
  });
});
