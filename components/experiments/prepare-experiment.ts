/** Pure preparation for the experiment view: output bars (top N + "other", as shares) and the verdict's tone and sentence. */
import type { Experiment } from "@/lib/experiments/get-experiment";

export function prepareOutputBars(counts: { label: string; count: number }[] | undefined, topN = 6): { label: string; share: number; count: number }[] {
  if (!counts?.length) return [];
  const total = counts.reduce((s, c) => s + c.count, 0);
  if (total === 0) return [];
  const sorted = [...counts].sort((a, b) => b.count - a.count);
  const top = sorted.slice(0, topN);
  const rest = sorted.slice(topN).reduce((s, c) => s + c.count, 0);
  const bars = top.sort((a, b) => (Number(a.label) - Number(b.label)) || (a.label < b.label ? -1 : 1)).map((c) => ({ label: c.label, count: c.count, share: c.count / total }));
  if (rest > 0) bars.push({ label: "other", count: rest, share: rest / total });
  return bars;
}

const pp = (x: number) => `${(x * 100).toFixed(2)} pp`;

export function describeTest(test: Experiment["test"]): { tone: "green" | "red" | "gray" | "blue"; headline: string; detail: string } | null {
  if (!test) return null;
  const metric = test.metric === "accuracy" ? "accuracy" : "error rate";
  const headline = test.verdict === "B is better" ? `B is better: ${test.armB.label}` : test.verdict === "A is better" ? `A is better: ${test.armA.label}` : test.verdict === "no difference" ? "No difference" : "No difference yet";
  const tone = test.verdict === "B is better" ? "green" : test.verdict === "A is better" ? "red" : test.verdict === "no difference" ? "blue" : "gray";
  const diff = test.difference === null ? "no data yet" : `B − A = ${pp(test.difference)} (always-valid ${Math.round((1 - test.alpha) * 100)} % CI ${pp(test.ci[0])} … ${pp(test.ci[1])})`;
  return { tone, headline, detail: `${metric}: ${diff}; p = ${test.pValue < 0.0001 ? "< 0.0001" : test.pValue.toFixed(4)} after ${test.looks} looks (mSPRT, peeking-safe)` };
}
