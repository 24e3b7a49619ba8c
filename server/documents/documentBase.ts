import { PDFDocument, type PDFFont } from 'pdf-lib';
import type { Fontkit } from 'pdf-lib/cjs/types/fontkit.js';
import { fontBytes, fontkitAdapter } from './cjkFont.js';

/** A new PDF with the CJK font embedded as a subset (only the glyphs used are written). */
export async function newDocument(title: string, subject: string): Promise<{ doc: PDFDocument; font: PDFFont }> {
  const doc = await PDFDocument.create();
  // The adapter's font is fontkit 2's, whose shape pdf-lib 1.17.1 declares after @pdf-lib/fontkit.
  doc.registerFontkit(fontkitAdapter() as unknown as Fontkit);
  const font = await doc.embedFont(fontBytes(), { subset: true });
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(subject);
  doc.setLanguage('zh-CN');
  doc.setCreator('CourtLink');
  doc.setProducer('CourtLink document engine (pdf-lib)');
  return { doc, font };
}
