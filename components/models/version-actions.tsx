"use client";
/** Archive (or restore) a version; the server refuses while an endpoint or alias routes to it and says why. */
import { Alert } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { useJsonRequest } from "@/components/ui/use-json-request";

export function VersionActions({ model, version, status }: { model: string; version: number; status: string }) {
  const m = useJsonRequest();
  const url = `/api/models/${encodeURIComponent(model)}/versions/${version}`;
  return (
    <div className="space-y-2">
      {status === "archived" ? (
        <Button variant="secondary" disabled={m.pending} onClick={() => m.send("PATCH", url, { status: "ready" })}>Restore</Button>
      ) : status === "ready" || status === "failed" ? (
        <Button variant="secondary" disabled={m.pending} onClick={() => m.send("PATCH", url, { status: "archived" })}>Archive</Button>
      ) : null}
      {m.error ? <Alert>{m.error}</Alert> : null}
    </div>
  );
}
