"use client";
/**
 * A version's class labels, replaced or removed after upload (PATCH …/versions/{v} with the file's text): the server
 * checks them against the outputs as at upload, and the data planes serving the model answer with them at once.
 */
import { useState } from "react";
import { Alert, FileInput } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { useJsonRequest } from "@/components/ui/use-json-request";

/** What the labels file pickers accept: Triton's label files (text) and JSON lists by output. */
export const LABEL_FILE_TYPES = ".txt,.labels,.json,text/plain,application/json";

export function LabelsEditor({ model, version, hasLabels }: { model: string; version: number; hasLabels: boolean }) {
  const m = useJsonRequest();
  const [file, setFile] = useState<File | null>(null);
  const url = `/api/models/${encodeURIComponent(model)}/versions/${version}`;

  async function save() {
    if (!file) return;
    if (await m.send("PATCH", url, { labels: await file.text() })) m.setNotice(`Labels from ${file.name} saved: answers name the classes with them now.`);
  }

  async function remove() {
    if (await m.send("PATCH", url, { labels: null })) m.setNotice("Labels removed.");
  }

  return (
    <div className="space-y-2 border-t border-slate-100 px-4 py-3" data-testid="labels-editor">
      <p className="text-xs text-slate-500">
        Class labels name a score output&apos;s classes in classification answers and Try it: one label per line, class 0 first, or JSON
        {" { output: [labels] }"}.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <div className="min-w-[14rem] flex-1">
          <FileInput aria-label="Labels file" accept={LABEL_FILE_TYPES} disabled={m.pending} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <Button size="sm" variant="secondary" disabled={!file || m.pending} onClick={save}>{hasLabels ? "Replace labels" : "Save labels"}</Button>
        {hasLabels ? <Button size="sm" variant="secondary" disabled={m.pending} onClick={remove}>Remove labels</Button> : null}
      </div>
      {m.error ? <Alert>{m.error}</Alert> : null}
      {m.notice ? <Alert tone="success">{m.notice}</Alert> : null}
    </div>
  );
}
