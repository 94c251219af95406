import { describe, expect, it } from "vitest";
import { TokenBucket, TokenBuckets } from "./token-buckets";

describe("TokenBucket and TokenBuckets", () => {
  it("start full with one second's worth, refuse when empty with the seconds to wait, and refill continuously", () => {
    let t = 1_000;
    const one = new TokenBucket(() => t);
    const many = new TokenBuckets(() => t);
    const answers = (take: () => number) => Array.from({ length: 5 }, take);
    // A single bucket and a keyed one answer the same sequence.
    expect(answers(() => one.takeOne(4))).toEqual([0, 0, 0, 0, 0.25]);
    expect(answers(() => many.takeOne("a", 4))).toEqual([0, 0, 0, 0, 0.25]);
    t += 500; // half a second: two tokens back
    expect(answers(() => one.takeOne(4))).toEqual([0, 0, 0.25, 0.25, 0.25]);
    expect(answers(() => many.takeOne("a", 4))).toEqual([0, 0, 0.25, 0.25, 0.25]);
    // Keys are apart; a rate below one a second still holds one token; a rate of 0 never gives one.
    expect(many.takeOne("b", 4)).toBe(0);
    expect(new TokenBucket(() => t).takeOne(0.5)).toBe(0);
    expect(new TokenBucket(() => t).takeOne(0)).toBe(Infinity);
    t += 60_000; // refilled, but never past one second's worth
    expect(answers(() => one.takeOne(4))).toEqual([0, 0, 0, 0, 0.25]);
  });
});
