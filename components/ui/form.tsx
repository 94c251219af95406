import { cn } from "./cn";

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 disabled:bg-slate-50";

export function Field({ label, hint, error, children, htmlFor }: {
  label: string;
  hint?: React.ReactNode;
  error?: string | null;
  children: React.ReactNode;
  htmlFor?: string;
}) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">{label}</label>
      <div className="mt-1">{children}</div>
      {error ? <p className="mt-1 text-xs text-red-600" role="alert">{error}</p> : hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export function Input({ className, ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(inputClass, className)} {...props} />;
}

export function Select({ className, ...props }: React.SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(inputClass, "pr-8", className)} {...props} />;
}

/** A file picker styled as the other inputs, its button inside. */
export function FileInput({ className, ...props }: Omit<React.InputHTMLAttributes<HTMLInputElement>, "type">) {
  return (
    <input
      type="file"
      className={cn(inputClass, "h-9 py-1 text-slate-600 file:mr-3 file:h-7 file:rounded file:border-0 file:bg-slate-100 file:px-3 file:py-0 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200", className)}
      {...props}
    />
  );
}

export function Textarea({ className, ...props }: React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cn(inputClass, className)} {...props} />;
}

export function Alert({ tone = "error", children }: { tone?: "error" | "info" | "success" | "warn"; children: React.ReactNode }) {
  const tones = {
    error: "bg-red-50 text-red-800 ring-red-200",
    info: "bg-brand-50 text-brand-700 ring-brand-100",
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    warn: "bg-amber-50 text-amber-800 ring-amber-200",
  } as const;
  return <div role={tone === "error" ? "alert" : "status"} className={cn("rounded-md px-3 py-2 text-sm ring-1", tones[tone])}>{children}</div>;
}
