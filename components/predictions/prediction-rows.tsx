"use client";
/**
 * The predictions table's body: one line per logged request (tensors previewed), and under a row its inputs, outputs
 * and ground truth in full when "Show" is pressed — a full-width row, so a long tensor never widens the table.
 */
import { Fragment, useState } from "react";
import { Td, Tr } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { tensorPreview, type PredictionView, type TensorView } from "@/lib/predictions/prediction-view";

function Tensors({ tensors }: { tensors: TensorView[] }) {
  if (!tensors.length) return <span className="text-slate-400">—</span>;
  return (
    <div className="space-y-0.5">
      {tensors.map((t) => {
        const text = tensorPreview(t);
        return <div key={t.name} className="max-w-[15rem] truncate font-mono text-xs" title={text}>{text}</div>;
      })}
    </div>
  );
}

function Truth({ feedback }: { feedback: PredictionView["feedback"] }) {
  if (!feedback) return <span className="text-slate-400">—</span>;
  return <span className="font-medium">{feedback.label ?? feedback.value}</span>;
}

function Full({ title, tensors }: { title: string; tensors: TensorView[] }) {
  return (
    <div className="min-w-0 flex-1">
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {tensors.length ? (
        tensors.map((t) => (
          <div key={t.name} className="mb-2">
            <div className="text-xs text-slate-600">
              <span className="font-mono font-medium text-slate-800">{t.name}</span> · {t.datatype} [{t.shape.join(", ")}]
              {t.truncated ? " · first 256 elements logged" : ""}
            </div>
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs text-slate-800">
              {t.values ? JSON.stringify(t.values) : "(stored value not readable)"}
            </pre>
          </div>
        ))
      ) : (
        <p className="text-xs text-slate-400">not logged</p>
      )}
    </div>
  );
}

export function PredictionRows({ predictions }: { predictions: PredictionView[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <tbody className="divide-y divide-slate-100">
      {predictions.map((p) => (
        <Fragment key={p.id}>
          <Tr data-testid="prediction-row">
            <Td title={formatDateTime(p.createdAt)}>
              <span suppressHydrationWarning>{formatRelative(p.createdAt)}</span>
              <div className="max-w-[9rem] truncate font-mono text-xs text-slate-500" title={p.requestId}>{p.requestId}</div>
            </Td>
            <Td>
              v{p.version}
              {p.variant ? <span className="text-slate-500"> · {p.variant}</span> : null}
              <div className="text-xs tabular-nums text-slate-500">
                <span className={p.status >= 200 && p.status < 300 ? "" : "font-medium text-red-700"}>{p.status}</span>
                {` · ${p.latencyMs < 10 ? p.latencyMs.toFixed(2) : p.latencyMs.toFixed(1)} ms`}
              </div>
            </Td>
            <Td><Tensors tensors={p.inputs} /></Td>
            <Td>
              <Tensors tensors={p.outputs} />
              {p.predictedClass ? (
                <div className="mt-0.5 text-xs text-slate-600" title={`class ${p.predictedClass.index}: the highest score`}>
                  → <span className="font-medium text-slate-900">{p.predictedClass.label ?? `class ${p.predictedClass.index}`}</span>
                </div>
              ) : null}
            </Td>
            <Td><Truth feedback={p.feedback} /></Td>
            <Td>
              <button
                type="button"
                className="text-xs font-medium text-brand-700 hover:underline"
                aria-expanded={open === p.id}
                aria-label={`${open === p.id ? "Hide" : "Show"} prediction ${p.requestId}`}
                onClick={() => setOpen(open === p.id ? null : p.id)}
              >
                {open === p.id ? "Hide" : "Show"}
              </button>
            </Td>
          </Tr>
          {open === p.id ? (
            <tr data-testid="prediction-detail">
              <td colSpan={6} className="bg-white px-4 py-3">
                <div className="flex flex-col gap-4 lg:flex-row">
                  <Full title="Inputs" tensors={p.inputs} />
                  <Full title="Outputs" tensors={p.outputs} />
                </div>
                {p.feedback ? (
                  <p className="mt-1 text-xs text-slate-600">
                    Ground truth: <span className="font-medium text-slate-800">{p.feedback.label ?? p.feedback.value}</span>, sent {formatDateTime(p.feedback.createdAt)}
                  </p>
                ) : null}
              </td>
            </tr>
          ) : null}
        </Fragment>
      ))}
    </tbody>
  );
}
