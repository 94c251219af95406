"use client";
/** Send test / Delete for one webhook row. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useJsonRequest } from "@/components/ui/use-json-request";

export function WebhookRowActions({ id, name }: { id: string; name: string }) {
  const { send, pending, error } = useJsonRequest();
  const [result, setResult] = useState<string | null>(null);
  const base = `/api/webhooks/${encodeURIComponent(id)}`;

  async function test() {
    setResult(null);
    const d = await send("POST", `${base}/test`);
    if (d) setResult(d.status === "delivered" ? `delivered (HTTP ${d.responseStatus})` : String(d.lastError ?? d.status));
  }

  return (
    <span className="inline-flex items-center gap-2">
      {result || error ? <span className={error ? "text-xs text-red-700" : "text-xs text-slate-500"} role="status">{error ?? result}</span> : null}
      <Button size="sm" variant="secondary" onClick={test} disabled={pending}>Send test</Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => (window.confirm(`Delete the webhook “${name}” and its delivery history?`) ? send("DELETE", base) : undefined)}
        disabled={pending}
      >
        Delete
      </Button>
    </span>
  );
}
