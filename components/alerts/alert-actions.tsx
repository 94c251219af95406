"use client";
/** Review buttons of one alert: Acknowledge, Resolve, Mute (for a chosen duration), Unmute, Assign. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Select } from "@/components/ui/form";
import { useJsonRequest } from "@/components/ui/use-json-request";

export const MUTE_OPTIONS: [number, string][] = [
  [15, "15 minutes"],
  [60, "1 hour"],
  [240, "4 hours"],
  [1440, "1 day"],
  [10080, "1 week"],
];

export function AlertActions({ id, status, assigneeId, users }: {
  id: string;
  status: string;
  assigneeId: string | null;
  users: { id: string; label: string }[];
}) {
  const { send, pending, error } = useJsonRequest();
  const [minutes, setMinutes] = useState(60);
  const [assignee, setAssignee] = useState(assigneeId ?? "");
  const url = (step: string) => `/api/alerts/${encodeURIComponent(id)}/${step}`;
  const resolved = status === "resolved";

  return (
    <div className="space-y-3">
      <div className="flex gap-2">
        <Button className="flex-1" onClick={() => send("POST", url("acknowledge"))} disabled={pending || resolved || status === "acknowledged"}>Acknowledge</Button>
        <Button className="flex-1" variant="secondary" onClick={() => send("POST", url("resolve"))} disabled={pending || resolved}>Resolve</Button>
      </div>
      <div className="flex gap-2">
        <Select aria-label="Mute duration" className="min-w-0 flex-1" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} disabled={pending || resolved}>
          {MUTE_OPTIONS.map(([m, label]) => <option key={m} value={m}>for {label}</option>)}
        </Select>
        <Button variant="secondary" onClick={() => send("POST", url("mute"), { minutes })} disabled={pending || resolved}>Mute</Button>
        {status === "muted" ? <Button variant="ghost" onClick={() => send("POST", url("unmute"))} disabled={pending}>Unmute</Button> : null}
      </div>
      <div className="flex gap-2">
        <Select aria-label="Assignee" className="min-w-0 flex-1" value={assignee} onChange={(e) => setAssignee(e.target.value)} disabled={pending}>
          <option value="">Unassigned</option>
          {users.map((u) => <option key={u.id} value={u.id}>{u.label}</option>)}
        </Select>
        <Button variant="secondary" onClick={() => send("POST", url("assign"), { userId: assignee || null })} disabled={pending || assignee === (assigneeId ?? "")}>
          Assign
        </Button>
      </div>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}
