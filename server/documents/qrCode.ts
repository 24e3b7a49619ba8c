import QRCode from 'qrcode';

/**
 * The QR code as one SVG path of unit squares (drawn as vectors: crisp at any
 * zoom and about as fast as a PNG). Returns the path and its size in modules.
 */
export function qrPath(text: string): { path: string; modules: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
    }
  }
  return { path: parts.join(''), modules: modules.size };
}
