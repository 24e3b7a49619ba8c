import { textWidth } from './cjkFont.js';

// Punctuation that must not start a line (行首禁则); it hangs into the margin instead.
const noLineStart = new Set('，。、；：！？）》」』】”’,.;:!?)%');

/**
 * Breaks text into lines no wider than maxWidth, character by character (CJK
 * has no spaces to break at). Explicit newlines start new paragraphs.
 */
export function wrapText(text: string, maxWidth: number, size: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    for (const ch of paragraph) {
      const w = textWidth(ch, size);
      if (line !== '' && width + w > maxWidth && !noLineStart.has(ch)) {
        lines.push(line);
        line = '';
        width = 0;
      }
      line += ch;
      width += w;
    }
    lines.push(line);
  }
  return lines;
}
