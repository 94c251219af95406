"use client";
/**
 * The endpoint page's "Delete endpoint": says what goes and what stays, and asks for the endpoint's name before the
 * red button works (as GitHub and most consoles do for things that cannot be undone). Then back to the list.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert, Field, Input } from "@/components/ui/form";
import { useJsonRequest } from "@/components/ui/use-json-request";

export function DeleteEndpointCard({ endpoint, model }: { endpoint: string; model: string }) {
  const router = useRouter();
  const { request, pending, error } = useJsonRequest();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");

  async function remove() {
    const answer = await request("DELETE", `/api/endpoints/${encodeURIComponent(endpoint)}`, undefined, { refresh: false });
    if (answer) router.replace(`/endpoints?deleted=${encodeURIComponent(endpoint)}`);
  }

  return (
    <Card data-testid="delete-endpoint">
      <CardHeader title="Delete endpoint" description="Stop serving this name. The model and its versions stay in the registry." />
      <CardBody className="space-y-3">
        {!open ? (
          <Button variant="secondary" onClick={() => setOpen(true)}>Delete endpoint…</Button>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              Clients calling <code>{endpoint}</code> get 404 at once. Its timeline, canary rollouts, alerts and drift and
              alert settings are deleted; the audit log keeps its last routing. <code>{model}</code> and its versions are not touched.
            </p>
            {error && <Alert>{error}</Alert>}
            <Field label={`Type ${endpoint} to confirm`} htmlFor="delete-endpoint-confirm">
              <Input id="delete-endpoint-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
            </Field>
            <div className="flex gap-2">
              <Button variant="danger" disabled={typed !== endpoint || pending} onClick={remove}>{pending ? "Deleting…" : "Delete"}</Button>
              <Button variant="ghost" onClick={() => { setOpen(false); setTyped(""); }}>Cancel</Button>
            </div>
          </>
        )}
      </CardBody>
    </Card>
  );
}
