/** The Ferry mark (a hull on a wave) and wordmark. */
export function FerryWordmark({ className = "", textClassName = "" }: { className?: string; textClassName?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 ${className}`}>
      <span className="grid h-7 w-7 place-items-center rounded-lg bg-brand-600 text-white shadow-sm">
        <svg viewBox="0 0 24 24" className="h-4.5 w-4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M4 13h16l-2.5 4.5h-11z" />
          <path d="M8 13V8h6l2 5" />
          <path d="M2 21c2 0 2-1.2 4-1.2S8 21 10 21s2-1.2 4-1.2 2 1.2 4 1.2 2-1.2 4-1.2" />
        </svg>
      </span>
      <span className={`text-[17px] font-semibold tracking-tight text-slate-900 ${textClassName}`}>Ferry</span>
    </span>
  );
}
