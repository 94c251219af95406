"use client";
/**
 * The canary's state on the endpoint page: status, step progress, the operator's buttons and the last rollout steps
 * from the timeline. Polls every 5 s (the guard job acts every 10 s); a click invalidates this panel and the
 * experiment view.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RolloutView } from "@/lib/rollouts/get-rollout";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/form";
import { formatRelative } from "@/components/ui/format";

export interface RolloutPanelProps {
  endpointName: string;
  initial?: RolloutView;
  /** False for viewers: the buttons are hidden (the API refuses them anyway). */
  canOperate?: boolean;
}

const TONE: Record<string, Tone> = { running: "blue", paused: "yellow", promoted: "green", rolled_back: "red", aborted: "gray" };

async function fetchRollout(name: string): Promise<RolloutView> {
  const res = await fetch(`/api/endpoints/${encodeURIComponent(name)}/rollout`, { cache: "no-store" });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
  return res.json();
}

/** What a panel without any rollout says: how one starts. */
function emptyHint(policy: unknown, canOperate: boolean): string {
  if (policy == null) {
    return "A guarded canary moves weighted traffic to a candidate version step by step and rolls back by itself when its error rate or latency breaks the guards. Tick “Guarded canary” under Routing, save, then start it here.";
  }
  const steps = (policy as { steps?: unknown }).steps;
  const plan = Array.isArray(steps) ? `: ${steps.map((s) => `${s} %`).join(" → ")}` : "";
  return canOperate ? `A canary policy is saved${plan}. Start it when the candidate is ready.` : `A canary policy is saved${plan}; an operator can start it.`;
}

export function RolloutPanel({ endpointName, initial, canOperate = true }: RolloutPanelProps) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: ["rollout", endpointName], queryFn: () => fetchRollout(endpointName), initialData: initial, refetchInterval: 5_000 });
  const action = useMutation({
    mutationFn: async (verb: "start" | "pause" | "resume" | "promote" | "abort") => {
      const path = verb === "start" ? "rollout" : `rollout/${verb}`;
      const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointName)}/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body as RolloutView;
    },
    onSuccess: (view) => {
      client.setQueryData(["rollout", endpointName], view);
      void client.invalidateQueries({ queryKey: ["experiment", endpointName] });
    },
  });

  const view = query.data;
  const r = view?.rollout;
  const active = r && (r.status === "running" || r.status === "paused");
  const busy = action.isPending;
  return (
    <Card data-testid="rollout-panel">
      <CardHeader
        title="Canary rollout"
        description={r ? `v${r.candidateVersion} against ${r.stableVariant}, ${r.bakeSeconds} s per step` : "No rollout yet"}
        actions={r && <Badge tone={TONE[r.status] ?? "gray"} data-testid="rollout-status">{r.status.replace("_", " ")}</Badge>}
      />
      <CardBody className="space-y-4">
        {query.error && <Alert>{`Could not load the rollout: ${(query.error as Error).message}`}</Alert>}
        {action.error && <Alert>{(action.error as Error).message}</Alert>}
        {view && !r && <p className="text-sm text-slate-600" data-testid="rollout-empty">{emptyHint(view.policy, canOperate)}</p>}
        {r && (
          <div>
            <div className="mb-1 flex justify-between text-xs text-slate-500">
              <span>{`${r.currentPercent} % of weighted traffic on the candidate`}</span>
              <span>{active ? `step ${r.currentStep + 1} of ${r.steps.length}` : r.finishedAt ? `finished ${formatRelative(r.finishedAt)}` : ""}</span>
            </div>
            <div className="flex gap-1" role="progressbar" aria-label="Rollout progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={r.currentPercent}>
              {r.steps.map((step, i) => {
                const done = r.status === "promoted" || (active && i < r.currentStep);
                const current = active && i === r.currentStep;
                return (
                  <div key={i} className={`h-2 flex-1 rounded ${done ? "bg-brand-600" : current ? (r.status === "paused" ? "bg-yellow-400" : "bg-brand-400") : r.status === "rolled_back" ? "bg-red-200" : "bg-slate-200"}`} title={`${step} %`} />
                );
              })}
            </div>
            <div className="mt-1 flex gap-1 text-[10px] text-slate-400">
              {r.steps.map((step, i) => (
                <span key={i} className="flex-1 text-center">{`${step} %`}</span>
              ))}
            </div>
            {r.reason && <p className="mt-2 text-sm text-slate-700" data-testid="rollout-reason">{r.reason}</p>}
          </div>
        )}
        {canOperate && (
          <div className="flex flex-wrap gap-2">
            {!active && view?.policy != null && <Button disabled={busy} onClick={() => action.mutate("start")}>Start rollout</Button>}
            {r?.status === "running" && <Button variant="secondary" disabled={busy} onClick={() => action.mutate("pause")}>Pause</Button>}
            {r?.status === "paused" && <Button variant="secondary" disabled={busy} onClick={() => action.mutate("resume")}>Resume</Button>}
            {active && <Button variant="secondary" disabled={busy} onClick={() => action.mutate("promote")}>Promote now</Button>}
            {active && <Button variant="danger" disabled={busy} onClick={() => action.mutate("abort")}>Abort</Button>}
          </div>
        )}
        {view && view.events.length > 0 && (
          <ol className="space-y-1 text-sm" aria-label="Rollout steps">
            {view.events.slice(0, 8).map((e) => (
              <li key={e.id} className="flex gap-2">
                <span className="w-20 shrink-0 text-xs text-slate-400">{formatRelative(e.createdAt)}</span>
                <span className="text-slate-700">{e.message}</span>
                {e.actor && <span className="text-xs text-slate-400">{e.actor}</span>}
              </li>
            ))}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}
