import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inferCurl, inferUrl, shellQuote } from "./infer-curl";

/** What a POSIX shell makes of a word: the single argument a program receives. */
function shellArgument(word: string): string {
  return execFileSync("sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });
}

describe("inferCurl", () => {
  it("quotes any text so the shell passes it unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "'", '"', "$", "`", "\\", " ", "!", "{", "}", "\n") }), (text) => {
        expect(shellArgument(shellQuote(text))).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it("is one command a shell runs: the URL, the token from the environment, the body as written", () => {
    const body = `{"inputs":[{"name":"it's","datatype":"BYTES","shape":[1],"data":["$HOME \`id\`"]}]}`;
    const curl = inferCurl("http://h:8000/v2/models/e/infer", body);
    // `sh -c` with curl replaced by a function that prints its arguments, one per line.
    const args = execFileSync("sh", ["-c", `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n${curl}`], { encoding: "utf8", env: { ...process.env, FERRY_TOKEN: "fry_x" } });
    expect(args.trimEnd().split("\n")).toEqual(["-X", "POST", "http://h:8000/v2/models/e/infer", "-H", "Authorization: Bearer fry_x", "-H", "content-type: application/json", "-d", body]);
    expect(inferCurl("http://h/x", undefined)).toMatch(/ -d @request\.json$/);
  });
});

describe("inferUrl", () => {
  it("addresses an endpoint's inference, pinned to a version when given one", () => {
    expect(inferUrl("http://h:8000/", "fraud")).toBe("http://h:8000/v2/models/fraud/infer");
    expect(inferUrl("http://h:8000", "fraud", 3)).toBe("http://h:8000/v2/models/fraud/versions/3/infer");
    expect(inferUrl("http://h", "a b/c")).toBe("http://h/v2/models/a%20b%2Fc/infer");
  });
});
