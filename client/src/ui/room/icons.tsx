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

const toolPaths = {
  mic: 'M12 3a3 3 0 0 0-3 3v5a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3ZM6 11a6 6 0 0 0 12 0M12 17v4',
  micOff: 'M12 3a3 3 0 0 0-3 3v5a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3ZM6 11a6 6 0 0 0 12 0M12 17v4M4 4l16 16',
  camera: 'M3 7h12v10H3zM15 10l6-3v10l-6-3',
  cameraOff: 'M3 7h12v10H3zM15 10l6-3v10l-6-3M3 4l18 16',
  chat: 'M4 5h16v11H9l-5 4z',
  people: 'M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM3 20a6 6 0 0 1 12 0M16 5a3 3 0 0 1 0 6M18 14a5 5 0 0 1 3 6',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  leave: 'M10 4H5v16h5M14 8l4 4-4 4M18 12H9',
  record: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8ZM12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Z',
} as const;

/** A toolbar pictogram; the button's own text names it, so the picture is hidden from screen readers. */
export function ToolIcon({ name }: { name: keyof typeof toolPaths }) {
  return (
    <svg className="tool-icon" viewBox="0 0 24 24" aria-hidden="true" data-icon={name}>
      <path
        d={toolPaths[name]}
        stroke="currentColor"
        strokeWidth={name === 'more' ? 4 : 2}
        fill="none"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
