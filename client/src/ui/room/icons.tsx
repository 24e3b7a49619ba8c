/** Inline SVG icons: emoji need a font that village PCs and older phones often lack. */
export function MicOffIcon({ label }: { label: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" role="img" aria-label={label} data-icon="mic-off">
      <title>{label}</title>
      <path d="M12 2a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3Z" fill="currentColor" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v4" stroke="currentColor" strokeWidth="2" fill="none" />
      <path d="M3 3l18 18" stroke="#ef4444" strokeWidth="3" />
    </svg>
  );
}

export function HandIcon({ label }: { label: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" role="img" aria-label={label} data-icon="hand">
      <title>{label}</title>
      <path
        d="M7 11V5.5a1.5 1.5 0 0 1 3 0V10m0-5.5v-1a1.5 1.5 0 0 1 3 0V10m0-5a1.5 1.5 0 0 1 3 0v6m0-3a1.5 1.5 0 0 1 3 0v6a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-3-5a1.5 1.5 0 0 1 2.5-1.6L7 14"
        stroke="#facc15"
        strokeWidth="2"
        fill="none"
        strokeLinecap="round"
      />
    </svg>
  );
}
