"use client";
/**
 * Archive (or restore) a version; the server refuses while an endpoint or alias routes to it and says why. An archived
 * version can be deleted too, after a confirmation that says what goes: then the model's page opens.
 */
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { useJsonRequest } from "@/components/ui/use-json-request";

export function VersionActions({ model, version, status }: { model: string; version: number; status: string }) {
  const m = useJsonRequest();
  const router = useRouter();
  const url = `/api/models/${encodeURIComponent(model)}/versions/${version}`;

  async function remove() {
    const question = `Delete ${model} v${version}? Its model file and reference dataset are removed (unless another version has the same bytes), and the number v${version} is not given again. Metrics and logs that name it stay.`;
    if (!window.confirm(question)) return;
    const answer = await m.request("DELETE", url, undefined, { refresh: false });
    if (answer) router.push(`/models/${encodeURIComponent(model)}?deleted=${version}`);
  }

  return (
    <div className="flex max-w-md flex-col items-end gap-2">
      {status === "archived" ? (
        <div className="flex gap-2">
          <Button variant="secondary" disabled={m.pending} onClick={() => m.send("PATCH", url, { status: "ready" })}>Restore</Button>
          <Button variant="danger" disabled={m.pending} onClick={remove}>Delete…</Button>
        </div>
      ) : status === "ready" || status === "failed" ? (
        <Button variant="secondary" disabled={m.pending} onClick={() => m.send("PATCH", url, { status: "archived" })}>Archive</Button>
      ) : null}
      {m.error ? <Alert>{m.error}</Alert> : null}
    </div>
  );
}
