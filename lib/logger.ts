/** The process logger (pino, JSON lines). Never log secrets: tokens and passwords are redacted by path. */
import pino from "pino";

const globalKey = Symbol.for("ferry.logger");
type G = typeof globalThis & { [globalKey]?: pino.Logger };

export function logger(): pino.Logger {
  const g = globalThis as G;
  g[globalKey] ??= pino({
    level: process.env.FERRY_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { svc: "ferry" },
    redact: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "secret", "*.secret"],
  });
  return g[globalKey];
}
