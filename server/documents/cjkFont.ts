import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import * as fontkit from 'fontkit';
import { CourtLinkError } from '../../signaling/index.js';

/**
 * The one CJK font documents are set in: Noto Sans CJK SC from Debian's
 * fonts-noto-cjk, face chosen by PostScript name (face 0 of the .ttc is the
 * Japanese one). Parsed once per process and shared by every document: the
 * first layout on a fresh fontkit font costs 12–18 ms, the cached one nothing.
 */
export const fontFile = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const fontFace = 'NotoSansCJKsc-Regular';

type LoadedFont = { bytes: Uint8Array; font: fontkit.Font; widths: Map<string, number> };
let loaded: LoadedFont | undefined;

function load(): LoadedFont {
  if (loaded) return loaded;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(fontFile);
  } catch {
    throw new CourtLinkError('UNAVAILABLE', `The document font is not installed (${fontFile}; Debian package fonts-noto-cjk).`);
  }
  const font = fontkit.create(bytes, fontFace);
  // pdf-lib 1.17.1 asks subsets for encodeStream(), which fontkit 2 replaced by encode().
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset() as fontkit.Subset & { encodeStream?: () => Readable };
    subset.encodeStream = () => Readable.from([subset.encode()]);
    return subset;
  };
  loaded = { bytes, font, widths: new Map() };
  return loaded;
}

/** What pdf-lib's registerFontkit() takes: create() ignores pdf-lib's bytes and hands out the cached SC face. */
export function fontkitAdapter(): { create: () => fontkit.Font } {
  const { font } = load();
  return { create: () => font };
}

/** The bytes pdf-lib's embedFont() wants; the adapter above does the parsing. */
export function fontBytes(): Uint8Array {
  return load().bytes;
}

/** Advance width of one character at size 1 (cached per character: measuring per line is 10x slower). */
export function charWidth(ch: string): number {
  const { font, widths } = load();
  let width = widths.get(ch);
  if (width === undefined) {
    width = font.glyphForCodePoint(ch.codePointAt(0) ?? 0).advanceWidth / font.unitsPerEm;
    widths.set(ch, width);
  }
  return width;
}

export function textWidth(text: string, size: number): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width * size;
}

/**
 * A character missing from the font would print as a blank box and vanish from
 * the text layer without any error, so refuse the whole document instead.
 */
export function assertPrintable(texts: Iterable<string>): void {
  const { font } = load();
  for (const text of texts) {
    for (const ch of text) {
      const codePoint = ch.codePointAt(0) ?? 0;
      if (ch === '\n' || font.hasGlyphForCodePoint(codePoint)) continue;
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      throw new CourtLinkError('FONT_MISSING_GLYPH', `The font cannot print the character "${ch}" (U+${hex}); 字体缺少字符「${ch}」。`);
    }
  }
}
