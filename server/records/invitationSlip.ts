import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * A printable one-page invitation slip (邀请函) with time, place, link and QR code.
 * Interim renderer until the documents engineer's CJK font loader lands in
 * server/documents/; the adapter facts are in shared/notes/pdf-cjk-signing.md §1.
 */

const fontFile = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** Face 0 of the collection is Japanese; name the Simplified Chinese face. */
const face = 'NotoSansCJKsc-Regular';

type FontkitSubset = { encode(): Uint8Array; encodeStream?: () => PassThrough };
type FontkitFont = { createSubset(): FontkitSubset; hasGlyphForCodePoint(cp: number): boolean };
const fontkit = createRequire(import.meta.url)('fontkit') as { create(bytes: Buffer, postscriptName: string): FontkitFont };

/**
 * pdf-lib 1.17 calls fontkit.create(bytes) without a face name and asks subsets for
 * encodeStream(), which fontkit 2 replaced with encode(): bridge both.
 */
function fontkitForPdfLib(): { create(bytes: Uint8Array): FontkitFont } {
  return {
    create(bytes) {
      const font = fontkit.create(Buffer.from(bytes), face);
      const createSubset = font.createSubset.bind(font);
      font.createSubset = () => {
        const subset = createSubset();
        subset.encodeStream = () => {
          const stream = new PassThrough();
          queueMicrotask(() => stream.end(Buffer.from(subset.encode())));
          return stream;
        };
        return subset;
      };
      return font;
    },
  };
}

let fontBytes: Buffer | undefined;
let glyphCheck: FontkitFont | undefined;

export type InvitationSlip = {
  title: string;
  caseNumber: string;
  displayName: string;
  /** Already formatted for people, e.g. 2026年11月21日 14:30. */
  when: string;
  where: string;
  url: string;
  expiresAt: string;
};

/** Refuses text the font cannot draw (it would silently vanish from the page). */
function checkGlyphs(lines: string[]): void {
  glyphCheck ??= fontkit.create(fontBytes as Buffer, face);
  for (const line of lines)
    for (const ch of line) {
      const cp = ch.codePointAt(0) as number;
      if (cp > 0x20 && !glyphCheck.hasGlyphForCodePoint(cp)) throw new Error(`the slip font has no glyph for U+${cp.toString(16)}`);
    }
}

function drawWrapped(
  page: ReturnType<PDFDocument['addPage']>,
  text: string,
  font: PDFFont,
  size: number,
  x: number,
  y: number,
  width: number,
): number {
  let line = '';
  let lineWidth = 0;
  let cursor = y;
  for (const ch of text) {
    const w = font.widthOfTextAtSize(ch, size);
    if (lineWidth + w > width && line) {
      page.drawText(line, { x, y: cursor, size, font });
      cursor -= size * 1.4;
      line = '';
      lineWidth = 0;
    }
    line += ch;
    lineWidth += w;
  }
  if (line) page.drawText(line, { x, y: cursor, size, font });
  return cursor - size * 1.4;
}

export async function renderInvitationSlip(slip: InvitationSlip): Promise<Buffer> {
  fontBytes ??= readFileSync(fontFile);
  const labels = ['邀请函', '案号', '受邀人', '时间', '地点', '链接', '有效期至', '请用手机扫描二维码或打开链接参加视频调解。'];
  checkGlyphs([...labels, slip.title, slip.caseNumber, slip.displayName, slip.when, slip.where, slip.expiresAt]);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkitForPdfLib() as never);
  const font = await pdf.embedFont(fontBytes, { subset: true });
  pdf.setTitle(`${slip.title} 邀请函`);
  const page = pdf.addPage([595.28, 841.89]); // A4
  const left = 64;
  const width = 595.28 - 2 * left;
  page.drawText('邀请函', { x: left, y: 770, size: 26, font });
  let y = drawWrapped(page, slip.title, font, 16, left, 730, width);
  for (const [label, value] of [
    ['案号', slip.caseNumber],
    ['受邀人', slip.displayName],
    ['时间', slip.when],
    ['地点', slip.where],
    ['有效期至', slip.expiresAt],
  ] as const) {
    y = drawWrapped(page, `${label}：${value}`, font, 13, left, y, width);
  }
  y = drawWrapped(page, '请用手机扫描二维码或打开链接参加视频调解。', font, 12, left, y - 6, width);
  const qr = await pdf.embedPng(await QRCode.toBuffer(slip.url, { errorCorrectionLevel: 'M', margin: 2, width: 360 }));
  page.drawImage(qr, { x: left, y: y - 200, width: 190, height: 190 });
  drawWrapped(page, `链接：${slip.url}`, font, 8, left, y - 220, width);
  page.drawRectangle({ x: left - 16, y: 60, width: width + 32, height: 1, color: rgb(0.6, 0.6, 0.6) });
  return Buffer.from(await pdf.save());
}
