/** Chooses what a variant (or the shadow) routes to: an alias, which follows promotions, or a fixed ready version. */
import { Select } from "@/components/ui/form";

export interface TargetChoices {
  versions: { version: number; status: string }[];
  aliases: { name: string; version: number }[];
}

/** `value` is "a:<alias>", "v:<version>" or "" (nothing chosen yet), as in the routing draft. */
export function TargetSelect({ value, onChange, versions, aliases, label, id }: TargetChoices & { value: string; onChange: (v: string) => void; label: string; id?: string }) {
  return (
    <Select id={id} aria-label={id ? undefined : label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">choose…</option>
      <optgroup label="Aliases (follow promotions)">
        {aliases.map((a) => (
          <option key={a.name} value={`a:${a.name}`}>{`${a.name} → v${a.version}`}</option>
        ))}
      </optgroup>
      <optgroup label="Versions">
        {versions.map((v) => (
          <option key={v.version} value={`v:${v.version}`} disabled={v.status !== "ready"}>{`v${v.version}${v.status !== "ready" ? ` (${v.status})` : ""}`}</option>
        ))}
      </optgroup>
    </Select>
  );
}
