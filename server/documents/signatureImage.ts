import { PNG } from 'pngjs';
import { CourtLinkError } from '../../signaling/index.js';

/** Limits on what a drawing pad may send. */
export const signatureLimits = { maxBytes: 2 * 1024 * 1024, maxSide: 4096, minInkPixels: 30 } as const;
/** Every normalized signature fits this box, so the signature block lays out the same for every party. */
export const signatureBox = { width: 600, height: 200 } as const;

const pngMagic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const inkThreshold = 0.25;

/** How much ink a pixel holds (0 = paper or transparent, 1 = opaque black). */
function inkAt(data: Buffer, i: number): number {
  const lum = (0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0)) / 255;
  return ((data[i + 3] ?? 0) / 255) * (1 - lum);
}

function readPng(buf: Uint8Array): PNG {
  if (buf.byteLength > signatureLimits.maxBytes) {
    throw new CourtLinkError(
      'SIGNATURE_IMAGE_TOO_LARGE',
      `The signature image is ${buf.byteLength} bytes; at most ${signatureLimits.maxBytes} are accepted.`,
    );
  }
  if (buf.byteLength < 8 || !Buffer.from(buf.buffer, buf.byteOffset, 8).equals(pngMagic)) {
    throw new CourtLinkError('SIGNATURE_IMAGE_INVALID');
  }
  // The header says the size before any pixel is inflated, so a decompression bomb is refused cheaply.
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.byteLength >= 24 && view.toString('latin1', 12, 16) === 'IHDR') {
    const width = view.readUInt32BE(16);
    const height = view.readUInt32BE(20);
    if (width > signatureLimits.maxSide || height > signatureLimits.maxSide) {
      throw new CourtLinkError(
        'SIGNATURE_IMAGE_TOO_LARGE',
        `The signature image is ${width}×${height} pixels; at most ${signatureLimits.maxSide} on each side are accepted.`,
      );
    }
  }
  try {
    return PNG.sync.read(view);
  } catch {
    throw new CourtLinkError('SIGNATURE_IMAGE_INVALID', 'The handwritten signature is not a readable PNG image.');
  }
}

/**
 * Checks a handwritten signature from a drawing pad and redraws it as black
 * ink on a transparent 600×200 canvas: cropped to the ink, scaled to fit,
 * centred, re-encoded (so nothing but pixels survives from the upload).
 */
export function normalizeSignaturePng(buf: Uint8Array): Uint8Array {
  const src = readPng(buf);
  let minX = src.width;
  let minY = src.height;
  let maxX = -1;
  let maxY = -1;
  let inkPixels = 0;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      if (inkAt(src.data, (y * src.width + x) * 4) < inkThreshold) continue;
      inkPixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (inkPixels < signatureLimits.minInkPixels) throw new CourtLinkError('SIGNATURE_IMAGE_EMPTY');

  const cropW = maxX - minX + 1;
  const cropH = maxY - minY + 1;
  const pad = 8;
  const scale = Math.min((signatureBox.width - 2 * pad) / cropW, (signatureBox.height - 2 * pad) / cropH, 4);
  const outW = Math.max(1, Math.round(cropW * scale));
  const outH = Math.max(1, Math.round(cropH * scale));
  const offX = Math.floor((signatureBox.width - outW) / 2);
  const offY = Math.floor((signatureBox.height - outH) / 2);
  const out = new PNG({ width: signatureBox.width, height: signatureBox.height });
  out.data.fill(0);
  for (let oy = 0; oy < outH; oy++) {
    const sy0 = minY + Math.floor(oy / scale);
    const sy1 = Math.min(maxY + 1, Math.max(sy0 + 1, minY + Math.floor((oy + 1) / scale)));
    for (let ox = 0; ox < outW; ox++) {
      const sx0 = minX + Math.floor(ox / scale);
      const sx1 = Math.min(maxX + 1, Math.max(sx0 + 1, minX + Math.floor((ox + 1) / scale)));
      // Box filter when shrinking, nearest pixel when enlarging.
      let sum = 0;
      for (let sy = sy0; sy < sy1; sy++) for (let sx = sx0; sx < sx1; sx++) sum += inkAt(src.data, (sy * src.width + sx) * 4);
      const alpha = Math.round((255 * sum) / ((sy1 - sy0) * (sx1 - sx0)));
      const o = ((offY + oy) * signatureBox.width + offX + ox) * 4;
      out.data[o] = 16;
      out.data[o + 1] = 16;
      out.data[o + 2] = 48;
      out.data[o + 3] = alpha;
    }
  }
  return new Uint8Array(PNG.sync.write(out, { colorType: 6 }));
}
