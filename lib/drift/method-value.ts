import type { DriftMethod, DriftStats } from "@/lib/drift/types";

/** The value of `method` among the computed statistics (p-value for tests, distance otherwise). */
export function evaluateMethodValue(method: DriftMethod, stats: DriftStats): number | null {
  switch (method) {
    case "ks": return stats.ks_pvalue;
    case "chisquare": return stats.chi2_pvalue ?? null;
    case "z": return stats.z_pvalue ?? null;
    case "linf": return stats.linf ?? null;
    default: return stats[method];
  }
}
