import { describe, expect, it } from "vitest";
import { feedbackChunks, parseGroundTruthFile } from "./parse-ground-truth-file";

describe("parseGroundTruthFile", () => {
  it("reads CSV with request_id and label or value columns, in any order and case, quoted fields included", () => {
    const csv = 'Value,REQUEST_ID,label\n0.5,a,\n,b,"fraud, confirmed"\n1e3,c,ok\n\n';
    expect(parseGroundTruthFile(csv, "truth.csv")).toEqual({
      items: [{ request_id: "a", value: 0.5 }, { request_id: "b", label: "fraud, confirmed" }, { request_id: "c", label: "ok", value: 1000 }],
      problems: [],
      badRows: 0,
    });
  });

  it("leaves out bad rows and says which lines and why; a later row for the same id wins", () => {
    const csv = "request_id,label,value\na,x,\n,y,\nb,,\nc,z,abc\na,w,\n";
    const file = parseGroundTruthFile(csv, "t.csv");
    expect(file.items).toEqual([{ request_id: "a", label: "w" }]);
    expect(file.badRows).toBe(3);
    expect(file.problems).toEqual([
      "line 3: request_id is empty",
      'line 4: needs a "label" or a "value"',
      "line 5: value 'abc' is not a number",
    ]);
  });

  it("reads a JSON array and JSON Lines, whatever the file is called", () => {
    expect(parseGroundTruthFile('[{"request_id":"a","label":1},{"request_id":"b","value":2}]', "x.txt").items).toEqual([{ request_id: "a", label: 1 }, { request_id: "b", value: 2 }]);
    const lines = parseGroundTruthFile('{"request_id":"a","label":"x"}\nnot json\n{"request_id":"b"}\n', "t.jsonl");
    expect(lines.items).toEqual([{ request_id: "a", label: "x" }]);
    expect(lines.problems).toEqual(["line 2: not JSON", 'line 3: needs a "label" or a "value"']);
    expect(lines.badRows).toBe(2);
  });

  it("refuses a file it cannot read at all, saying what it needs", () => {
    expect(() => parseGroundTruthFile("", "t.csv")).toThrow("the file is empty");
    expect(() => parseGroundTruthFile("id,prediction\na,1\n", "t.csv")).toThrow("the header row must name a request_id column and a label or value column (found: id, prediction)");
    expect(() => parseGroundTruthFile("[1,", "t.json")).toThrow(/^the JSON does not parse/);
  });

  it("reports at most five problems but counts every bad row", () => {
    const csv = "request_id,label\n" + ",x\n".repeat(9);
    const file = parseGroundTruthFile(csv, "t.csv");
    expect(file.problems).toHaveLength(5);
    expect(file.badRows).toBe(9);
  });
});

describe("feedbackChunks", () => {
  it("splits into request-sized chunks, keeping every item once and in order", () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ request_id: String(i), label: "x" }));
    expect(feedbackChunks(items, 2).map((c) => c.map((i) => i.request_id))).toEqual([["0", "1"], ["2", "3"], ["4"]]);
    expect(feedbackChunks([], 2)).toEqual([]);
  });
});
