/** Small stroke icons for the sidebar (inline SVG: no icon package is installed). */
const PATHS: Record<string, string[]> = {
  home: ["M3 11.5 12 4l9 7.5", "M5 10v10h14V10"],
  models: ["M12 3 3 7.5 12 12l9-4.5z", "M3 12l9 4.5 9-4.5", "M3 16.5 12 21l9-4.5"],
  endpoints: ["M4 6h16v5H4z", "M4 13h16v5H4z", "M8 8.5h.01", "M8 15.5h.01"],
  monitoring: ["M3 20h18", "M5 16l4-5 4 3 6-8"],
  alerts: ["M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15z", "M10 20.5a2 2 0 0 0 4 0"],
  audit: ["M7 3h8l4 4v14H7z", "M15 3v4h4", "M10 12h6", "M10 16h6"],
  key: ["M8 15a4 4 0 1 1 3.5-5.9L20 9v3h-2v2h-3l-1.3-1.3A4 4 0 0 1 8 15z", "M7 11h.01"],
  signOut: ["M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4", "M10 16l-4-4 4-4", "M6 12h10"],
  settings: ["M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6", "M4 12h2m12 0h2M12 4v2m0 12v2M6.3 6.3l1.4 1.4m8.6 8.6 1.4 1.4M6.3 17.7l1.4-1.4m8.6-8.6 1.4-1.4"],
};

export function NavIcon({ name }: { name: string }) {
  const paths = PATHS[name] ?? [];
  return (
    <svg viewBox="0 0 24 24" className="h-4 w-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {paths.map((d) => <path key={d} d={d} />)}
    </svg>
  );
}
