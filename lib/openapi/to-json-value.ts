/**
 * A value as it will travel as JSON (Dates → ISO strings, bigints → numbers), so response schemas can describe
 * the wire format (`z.iso.datetime()`) and still parse what a domain function returned. Pure.
 */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
}
