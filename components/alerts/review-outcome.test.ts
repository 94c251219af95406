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
});
