/**
 * How a shadow version's answer compares with the primary's: for 2-D float outputs (classifier scores) whether the
 * argmax of every row agrees; otherwise the mean absolute difference, agreeing when it is below 1e-6. Only the
 * first output both answers share is compared. Pure.
 */
import type { OipTensor } from "@/lib/oip/oip-tensor";

export interface ShadowComparison {
  agree: boolean;
  absDiff: number;
}

export function compareShadow(primary: Map<string, OipTensor>, shadow: Map<string, OipTensor>): ShadowComparison | undefined {
  for (const [name, a] of primary) {
    const b = shadow.get(name);
    if (!b || b.shape.join("x") !== a.shape.join("x") || Array.isArray(a.data) || Array.isArray(b.data)) continue;
    const x = Array.from(a.data as ArrayLike<number | bigint>, Number);
    const y = Array.from(b.data as ArrayLike<number | bigint>, Number);
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff += Math.abs(x[i] - y[i]);
    const absDiff = x.length ? diff / x.length : 0;
    const isFloat = a.datatype === "FP32" || a.datatype === "FP64" || a.datatype === "FP16";
    if (isFloat && a.shape.length === 2 && a.datatype !== "FP16") {
      const cols = a.shape[1];
      for (let r = 0; r < a.shape[0]; r++) {
        if (argmax(x, r * cols, cols) !== argmax(y, r * cols, cols)) return { agree: false, absDiff };
      }
      return { agree: true, absDiff };
    }
    return { agree: absDiff < 1e-6, absDiff };
  }
  return undefined;
}

function argmax(v: number[], start: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (v[start + i] > v[start + best]) best = i;
  return best;
}
