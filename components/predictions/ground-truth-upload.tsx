"use client";
/**
 * "Add ground truth" on the predictions page: pick a CSV or JSON file of request ids with their real label or value,
 * see what was read (and which lines were left out, and why) before sending, then send it to the feedback API in
 * chunks with a progress bar. The Truth column and the experiment's quality figures pick it up.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/form";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useJsonRequest } from "@/components/ui/use-json-request";
import { feedbackChunks, parseGroundTruthFile, type GroundTruthFile } from "@/lib/feedback/parse-ground-truth-file";

type Totals = { received: number; stored: number; skipped: number; matched: number };

export function GroundTruthUpload({ endpoint }: { endpoint: string }) {
  const router = useRouter();
  const { request, error, setError } = useJsonRequest();
  const [file, setFile] = useState<{ name: string; parsed: GroundTruthFile } | null>(null);
  const [sending, setSending] = useState<{ sent: number; total: number } | null>(null);
  const [done, setDone] = useState<Totals | null>(null);
  // Bumped after a send so the file input forgets the file it held.
  const [inputKey, setInputKey] = useState(0);

  async function choose(f: File | undefined) {
    setFile(null);
    setDone(null);
    setError(null);
    if (!f) return;
    try {
      setFile({ name: f.name, parsed: parseGroundTruthFile(await f.text(), f.name) });
    } catch (e) {
      setError(`${f.name}: ${(e as Error).message}`);
    }
  }

  async function send() {
    if (!file) return;
    const chunks = feedbackChunks(file.parsed.items);
    const totals: Totals = { received: 0, stored: 0, skipped: 0, matched: 0 };
    setSending({ sent: 0, total: file.parsed.items.length });
    for (const chunk of chunks) {
      const answer = await request<Totals>("POST", `/api/endpoints/${encodeURIComponent(endpoint)}/feedback`, { items: chunk }, { refresh: false });
      if (!answer) break; // `error` says why; what was sent before stays stored
      for (const k of Object.keys(totals) as (keyof Totals)[]) totals[k] += answer.body[k];
      setSending({ sent: totals.received, total: file.parsed.items.length });
    }
    setSending(null);
    if (totals.received > 0) {
      setDone(totals);
      setFile(null);
      setInputKey((k) => k + 1);
      router.refresh();
    }
  }

  const items = file?.parsed.items.length ?? 0;
  return (
    <div className="space-y-3" data-testid="ground-truth">
      <div className="flex flex-wrap items-center gap-3">
        <label className="text-sm font-medium text-slate-700" htmlFor="ground-truth-file">Ground truth file</label>
        <input
          key={inputKey}
          id="ground-truth-file"
          type="file"
          accept=".csv,.json,.jsonl,.ndjson,text/csv,application/json"
          className="text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
          disabled={sending !== null}
          onChange={(e) => void choose(e.target.files?.[0])}
        />
        <span className="text-xs text-slate-500">CSV with request_id and label or value columns, or JSON / JSON Lines of {"{request_id, label | value}"}</span>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {file ? (
        <div className="space-y-2 text-sm">
          <p>
            {`${file.name}: ${items} ${items === 1 ? "row" : "rows"} to send`}
            {file.parsed.badRows ? `, ${file.parsed.badRows} left out` : ""}
          </p>
          {file.parsed.problems.length ? (
            <ul className="list-inside list-disc text-xs text-amber-800">
              {file.parsed.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
              {file.parsed.badRows > file.parsed.problems.length ? <li>{`… and ${file.parsed.badRows - file.parsed.problems.length} more`}</li> : null}
            </ul>
          ) : null}
          <Button onClick={send} disabled={items === 0 || sending !== null}>{`Send ${items} ${items === 1 ? "label" : "labels"}`}</Button>
        </div>
      ) : null}
      {sending ? (
        <div className="space-y-1">
          <ProgressBar label="Ground truth sent" percent={(sending.sent / Math.max(sending.total, 1)) * 100} />
          <p className="text-xs text-slate-500" aria-live="polite">{`Sent ${sending.sent} of ${sending.total}…`}</p>
        </div>
      ) : null}
      {done ? (
        <Alert tone="success">
          {`Stored ${done.stored} of ${done.received}; ${done.matched} match logged predictions`}
          {done.matched < done.stored ? " (the others join when their predictions are logged)" : ""}
          {done.skipped ? `; ${done.skipped} skipped: those request ids hold ground truth for another endpoint` : ""}.
        </Alert>
      ) : null}
    </div>
  );
}
