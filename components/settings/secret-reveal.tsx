"use client";
import { CopyButton } from "@/components/ui/copy-button";

/** A secret shown once (token, one-time password), with a copy button and the warning that it will not come back. */
export function SecretReveal({ label, secret, testId, note, onDone }: {
  label: string;
  secret: string;
  testId: string;
  note: React.ReactNode;
  onDone: () => void;
}) {
  return (
    <div className="rounded-lg bg-emerald-50 p-4 ring-1 ring-emerald-200" role="status">
      <div className="text-sm font-medium text-emerald-900">{label}</div>
      <div className="mt-2 flex items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 select-all truncate rounded-md bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-emerald-200">
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      <p className="mt-2 flex items-start gap-1.5 text-xs text-amber-800">
        <span aria-hidden="true">⚠</span>
        <span>{note}</span>
      </p>
      <div className="mt-3">
        <button type="button" onClick={onDone} className="text-xs font-medium text-emerald-800 hover:underline">Done, hide it</button>
      </div>
    </div>
  );
}
