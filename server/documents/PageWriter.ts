import { type PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib';
import { textWidth } from './cjkFont.js';
import { wrapText } from './textLayout.js';

const pageSize: [number, number] = [595.28, 841.89]; // A4
const margin = { left: 64, right: 64, top: 64, bottom: 72 };
const ink = rgb(0.08, 0.08, 0.08);

/**
 * Lays text out top to bottom over as many A4 pages as it needs. Pages are
 * numbered ("第 x 页 共 y 页") in finish(), once their count is known.
 */
export class PageWriter {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
  ) {
    this.page = this.addPage();
    this.y = pageSize[1] - margin.top;
  }

  /** Distance of the cursor from the page's bottom edge. */
  get cursor(): number {
    return this.y;
  }

  get contentWidth(): number {
    return pageSize[0] - margin.left - margin.right;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  reserve(height: number): void {
    if (this.y - height >= margin.bottom) return;
    this.page = this.addPage();
    this.y = pageSize[1] - margin.top;
  }

  space(height: number): void {
    this.y -= height;
  }

  centred(text: string, size: number): void {
    const lineHeight = size * 1.6;
    this.reserve(lineHeight);
    this.y -= lineHeight;
    const x = (pageSize[0] - textWidth(text, size)) / 2;
    this.page.drawText(text, { x, y: this.y + size * 0.3, size, font: this.font, color: ink });
  }

  /** A wrapped paragraph; `indent` is in characters (首行缩进 uses 2). */
  paragraph(text: string, size = 11, options: { indent?: number; left?: number; right?: number } = {}): void {
    const left = margin.left + (options.left ?? 0);
    const prefix = '\u3000'.repeat(options.indent ?? 0);
    const lineHeight = size * 1.7;
    for (const line of wrapText(prefix + text, this.contentWidth - (options.left ?? 0) - (options.right ?? 0), size)) {
      this.reserve(lineHeight);
      this.y -= lineHeight;
      if (line.trim() !== '') this.page.drawText(line, { x: left, y: this.y + size * 0.4, size, font: this.font, color: ink });
    }
  }

  /** An image of the given size at `x` from the left margin, top at the cursor; the cursor moves below it. */
  image(image: PDFImage, x: number, width: number, height: number): void {
    this.reserve(height);
    this.y -= height;
    this.page.drawImage(image, { x: margin.left + x, y: this.y, width, height });
  }

  /** Draws an SVG path (y down) whose top-left corner is `x` from the left margin and `top` above the cursor. */
  svgPath(path: string, x: number, top: number, scale: number): void {
    this.page.drawSvgPath(path, { x: margin.left + x, y: this.y + top, scale, color: rgb(0, 0, 0), borderWidth: 0 });
  }

  /** A line of text at `x` from the left margin, `dy` above the cursor, not moving it. */
  textAt(text: string, x: number, dy: number, size: number): void {
    this.page.drawText(text, { x: margin.left + x, y: this.y + dy, size, font: this.font, color: ink });
  }

  /** Numbers every page and returns the page count. */
  finish(): number {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const label = `第 ${i + 1} 页 共 ${pages.length} 页`;
      const size = 9;
      page.drawText(label, { x: (pageSize[0] - textWidth(label, size)) / 2, y: margin.bottom / 2, size, font: this.font, color: ink });
    });
    return pages.length;
  }

  private addPage(): PDFPage {
    return this.doc.addPage(pageSize);
  }
}
