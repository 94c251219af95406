/** Formatting shared by pages and charts. Pure. */
export function formatBytes(n: number | bigint): string {
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${x < 10 ? x.toFixed(1) : Math.round(x)} ${units[i]}`;
}

export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return date.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function formatRelative(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return "never";
  const t = (typeof d === "string" ? new Date(d) : d).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || Number.isNaN(ms)) return "—";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Several latencies in one cell: "1.5 / 3.9 / 9.5 ms" when they share a unit, each with its own unit otherwise. */
export function formatLatencies(ms: readonly (number | null | undefined)[]): string {
  const parts = ms.map(formatMs);
  const unit = (p: string) => / (ms|µs)$/.exec(p)?.[1];
  const first = unit(parts[0]);
  if (!first || parts.some((p) => unit(p) !== first)) return parts.join(" / ");
  return `${parts.map((p) => p.slice(0, -first.length - 1)).join(" / ")} ${first}`;
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x == null || Number.isNaN(x)) return "—";
  return `${(x * 100).toFixed(digits)} %`;
}
