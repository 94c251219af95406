/** Filters as a plain GET form: the URL holds them, so a filtered list can be shared and reloaded. */
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Select } from "@/components/ui/form";
import { SIGNAL_LABELS } from "./format-alert-value";

export interface AlertFilterValues {
  status?: string;
  severity?: string;
  endpoint?: string;
  signal?: string;
  assignee?: string;
}

function FilterSelect({ name, label, value, options }: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <Select name={name} defaultValue={value ?? ""} className="mt-1 w-40" aria-label={label}>
        <option value="">All</option>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </Select>
    </label>
  );
}

export function AlertFilters({ values, endpoints, users }: { values: AlertFilterValues; endpoints: string[]; users: { id: string; label: string }[] }) {
  const any = Object.values(values).some(Boolean);
  return (
    <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter alerts">
      <FilterSelect name="status" label="Status" value={values.status} options={["open", "acknowledged", "muted", "resolved"].map((s) => [s, s])} />
      <FilterSelect name="severity" label="Severity" value={values.severity} options={[["critical", "critical"], ["warn", "warn"]]} />
      <FilterSelect name="endpoint" label="Endpoint" value={values.endpoint} options={endpoints.map((e) => [e, e])} />
      <FilterSelect name="signal" label="Signal" value={values.signal} options={Object.entries(SIGNAL_LABELS)} />
      <FilterSelect name="assignee" label="Assignee" value={values.assignee} options={[["me", "Assigned to me"], ["none", "Unassigned"], ...users.map((u): [string, string] => [u.id, u.label])]} />
      <button type="submit" className={buttonClass("secondary")}>Filter</button>
      {any ? <Link href="/alerts" className="py-2 text-sm text-slate-500 hover:underline">Clear</Link> : null}
    </form>
  );
}
