import { describe, expect, it } from "vitest";
import { outcomeText } from "./review-outcome";

describe("outcomeText", () => {
  const titles: Record<string, string> = { a: "f2 drifted on demo", b: "f5 drifted on demo" };
  const titleOf = (id: string) => titles[id] ?? id;

  it("counts what changed, and names what did not with the reason", () => {
    expect(outcomeText("resolve", { changed: 2, results: [{ id: "a", ok: true }, { id: "b", ok: true }] }, titleOf)).toBe("Resolved 2 of 2.");
    expect(
      outcomeText("acknowledge", { changed: 1, results: [{ id: "a", ok: true }, { id: "b", ok: false, error: "the alert is already acknowledged" }, { id: "zz", ok: false }] }, titleOf),
    ).toBe("Acknowledged 1 of 3. Not changed: f5 drifted on demo (the alert is already acknowledged); zz (refused).");
  });

  it("says to whom alerts were assigned, or that they were unassigned", () => {
    const both = { changed: 2, results: [{ id: "a", ok: true }, { id: "b", ok: true }] };
    expect(outcomeText({ assign: "Ada (ada@ferry.test)" }, both, titleOf)).toBe("Assigned 2 of 2 to Ada (ada@ferry.test).");
    expect(outcomeText({ assign: null }, { changed: 1, results: [{ id: "a", ok: true }, { id: "b", ok: false, error: "no alert b" }] }, titleOf)).toBe(
      "Unassigned 1 of 2. Not changed: f5 drifted on demo (no alert b).",
    );
  });
});
