import { type PointerEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Backing size of the pad: a PNG of it stays far below socket.io's 256 KB message limit (typically 5–20 KB). */
const width = 600;
const height = 200;

async function toBase64(canvas: HTMLCanvasElement): Promise<string> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the signature could not be exported');
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A handwritten signature: drawn with pointer events (finger, pen or mouse) on
 * a canvas, exported as PNG. The server checks and redraws it
 * (normalizeSignaturePng) before it goes into the agreement.
 */
export function SignaturePad({ onSubmit }: { onSubmit(pngBase64: string): Promise<void> }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | undefined>(undefined);
  const [inked, setInked] = useState(false);
  const [busy, setBusy] = useState(false);

  const point = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) / rect.width) * width, y: ((e.clientY - rect.top) / rect.height) * height };
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    last.current = point(e);
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    const from = last.current;
    const ctx = canvas.current?.getContext('2d');
    if (!from || !ctx) return;
    const to = point(e);
    ctx.strokeStyle = '#102030';
    ctx.lineWidth = 4;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last.current = to;
    setInked(true);
  };
  const up = () => {
    last.current = undefined;
  };
  const clear = () => {
    canvas.current?.getContext('2d')?.clearRect(0, 0, width, height);
    setInked(false);
  };
  const submit = async () => {
    if (!canvas.current) return;
    setBusy(true);
    try {
      await onSubmit(await toBase64(canvas.current));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signature">
      <p>{t('agreement.signHere')}</p>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        className="signature-pad"
        data-testid="signature-pad"
        aria-label={t('agreement.signHint')}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <p className="muted">{t('agreement.signHint')}</p>
      <div className="row">
        <button type="button" onClick={clear}>
          {t('agreement.clearSignature')}
        </button>
        <button type="button" className="primary" data-testid="signature-submit" disabled={!inked || busy} onClick={() => void submit()}>
          {t('agreement.submitSignature')}
        </button>
      </div>
    </div>
  );
}
