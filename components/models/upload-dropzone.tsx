"use client";
/**
 * Drag-and-drop (or pick) an .onnx file, optionally a reference dataset and class labels, and upload it with a real progress bar
 * (XMLHttpRequest's upload progress), then a "Validating…" step while the server checks the model, then the new
 * version's page — or the reason validation failed.
 */
import { ProgressBar } from "@/components/ui/progress-bar";
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert, Field, FileInput, Input, Textarea } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatBytes } from "@/components/ui/format";
import { LABEL_FILE_TYPES } from "./labels-editor";

type Phase = { kind: "idle" } | { kind: "uploading"; loaded: number; total: number } | { kind: "validating" } | { kind: "error"; message: string; href?: string };

export function UploadDropzone({ model, disabled, disabledHint }: { model: string; disabled?: boolean; disabledHint?: string }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState<File | null>(null);
  const [labels, setLabels] = useState<File | null>(null);
  const [description, setDescription] = useState("");
  const [metrics, setMetrics] = useState("");
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = phase.kind === "uploading" || phase.kind === "validating";

  function pick(f: File | undefined | null) {
    if (!f) return;
    setFile(f);
    setPhase({ kind: "idle" });
  }

  function start() {
    if (!file || !model) return;
    const form = new FormData();
    // Text fields first: the server reads the stream in order.
    if (description.trim()) form.append("description", description.trim());
    if (metrics.trim()) form.append("metrics", metrics.trim());
    form.append("source", "ui");
    if (reference) form.append("reference", reference, reference.name);
    if (labels) form.append("labels", labels, labels.name);
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/models/${encodeURIComponent(model)}/versions`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => setPhase({ kind: "uploading", loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => setPhase({ kind: "validating" });
    xhr.onerror = () => setPhase({ kind: "error", message: "the upload failed: the server could not be reached" });
    xhr.onload = () => {
      const body = (xhr.response ?? {}) as { version?: number; error?: string; model?: string };
      if (xhr.status === 201 && body.version) {
        router.push(`/models/${encodeURIComponent(model)}/versions/${body.version}`);
        router.refresh();
        return;
      }
      const href = body.version ? `/models/${encodeURIComponent(model)}/versions/${body.version}` : undefined;
      const prefix = xhr.status === 422 ? `Version ${body.version ?? ""} failed validation: ` : `Upload refused (${xhr.status}): `;
      setPhase({ kind: "error", message: prefix + (body.error ?? xhr.statusText), href });
      if (href) router.refresh();
    };
    setPhase({ kind: "uploading", loaded: 0, total: file.size });
    xhr.send(form);
  }

  const pct = phase.kind === "uploading" && phase.total ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 0;

  return (
    <div className="space-y-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!busy) pick(e.dataTransfer.files?.[0]);
        }}
        className={cn(
          "flex flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors",
          dragging ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-white",
        )}
      >
        <p className="text-sm text-slate-600">
          {file ? (
            <>
              <span className="font-medium text-slate-900">{file.name}</span> · {formatBytes(file.size)}
            </>
          ) : (
            "Drop an .onnx file here, or"
          )}
        </p>
        <label className="mt-2 cursor-pointer text-sm font-medium text-brand-600 hover:text-brand-700">
          {file ? "choose another file" : "choose a file"}
          <input
            ref={inputRef}
            type="file"
            accept=".onnx,application/octet-stream"
            aria-label="Model file"
            className="sr-only"
            disabled={busy}
            onChange={(e) => pick(e.target.files?.[0])}
          />
        </label>
      </div>

      <div className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2">
        <Field label="Description" htmlFor="version-description" hint="Shown beside the version in the registry">
          <Input id="version-description" value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What changed in this version" disabled={busy} />
        </Field>
        <Field label="Reference dataset (optional)" htmlFor="reference-dataset" hint="CSV or JSON rows the model was trained or validated on: drift compares live inputs with them">
          <FileInput id="reference-dataset" aria-label="Reference dataset" accept=".csv,.json,text/csv,application/json" disabled={busy} onChange={(e) => setReference(e.target.files?.[0] ?? null)} />
        </Field>
        <Field label="Class labels (optional)" htmlFor="class-labels" hint="One label per line, class 0 first (Triton's label file), or JSON { output: [labels] }: answers and Try it name the classes">
          <FileInput id="class-labels" aria-label="Class labels" accept={LABEL_FILE_TYPES} disabled={busy} onChange={(e) => setLabels(e.target.files?.[0] ?? null)} />
        </Field>
        <Field label="Training metrics (optional)" htmlFor="training-metrics" hint="What the training run measured, one name=value a line: shown on the version's page and compared between versions">
          <Textarea id="training-metrics" rows={2} value={metrics} onChange={(e) => setMetrics(e.target.value)} placeholder={"auc=0.931\nf1=0.874"} disabled={busy} className="font-mono text-xs" />
        </Field>
      </div>

      {phase.kind === "uploading" || phase.kind === "validating" ? (
        <div className="space-y-1">
          <ProgressBar label="Upload progress" percent={phase.kind === "uploading" ? pct : 100} />
          {phase.kind === "uploading" ? (
            <p className="text-xs text-slate-500" aria-live="polite">
              Uploading… {pct}% ({formatBytes(phase.loaded)} of {formatBytes(phase.total)})
            </p>
          ) : (
            <p className="flex items-center gap-2 text-sm text-slate-600" role="status" aria-live="polite">
              <span className="h-3 w-3 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" />
              Validating… (parsing, loading in onnxruntime, a test inference)
            </p>
          )}
        </div>
      ) : null}
      {phase.kind === "error" ? (
        <Alert>
          {phase.message}
          {phase.href ? (
            <>
              {" "}
              <a className="underline" href={phase.href}>See the version</a>
            </>
          ) : null}
        </Alert>
      ) : null}

      <div className="flex items-center gap-3">
        <Button onClick={start} disabled={!file || !model || busy || disabled}>
          {busy ? "Uploading…" : "Upload"}
        </Button>
        {disabled && disabledHint ? <span className="text-xs text-slate-500">{disabledHint}</span> : null}
      </div>
    </div>
  );
}
