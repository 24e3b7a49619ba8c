import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { textWidth } from '../../server/documents/cjkFont.js';
import { assertPrintable, normalizeSignaturePng, renderAgreement, signatureBox, signatureLimits } from '../../server/documents/index.js';
import { maskIdNumber, maskPhone } from '../../server/documents/printing.js';
import { wrapText } from '../../server/documents/textLayout.js';
import { AgreementDraft, CourtLinkError } from '../../signaling/index.js';
import { agreementDraft, binding, blankPng, parties, signaturePng } from '../support/pdfFixtures.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CourtLinkError ? err.code : `not a CourtLinkError: ${String(err)}`;
  }
  return undefined;
}

describe('AgreementDraft', () => {
  it('accepts a complete draft', () => {
    expect(AgreementDraft.safeParse(agreementDraft()).success).toBe(true);
  });

  it('refuses a 10 MB clause', () => {
    const draft = agreementDraft({ terms: [{ id: 'huge', text: '款'.repeat(10 * 1024 * 1024) }] });
    const parsed = AgreementDraft.safeParse(draft);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['terms', 0, 'text']);
  });

  it('refuses a wrong side, a malformed ID number and duplicate clause ids', () => {
    const base = agreementDraft();
    const [first, second] = base.parties;
    expect(AgreementDraft.safeParse({ ...base, parties: [{ ...first, side: '第三人' }, second] }).success).toBe(false);
    expect(AgreementDraft.safeParse({ ...base, parties: [{ ...first, idNumber: '1101/../../etc' }, second] }).success).toBe(false);
    expect(AgreementDraft.safeParse({ ...base, terms: [base.terms[0], base.terms[0]] }).success).toBe(false);
  });
});

describe('masking', () => {
  it('keeps only the last 4 characters of an ID number and the ends of a phone number', () => {
    expect(maskIdNumber('11010519650202567X')).toBe('**************567X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('8613812345678')).toBe('861******5678');
  });
});

describe('CJK line wrapping', () => {
  it('breaks long Chinese text into lines no wider than the box, losing no character', () => {
    const text = '经调解，双方自愿达成如下协议：被申请人于2026年6月30日前拆除加盖彩钢房的第二层。'.repeat(5);
    const lines = wrapText(text, 200, 11);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join('')).toBe(text);
    // A closing punctuation mark may hang past the edge by itself; nothing else may.
    for (const line of lines) expect(textWidth(line.replace(/[，。：]$/, ''), 11)).toBeLessThanOrEqual(200);
    for (const line of lines.slice(1)) expect(line[0]).not.toMatch(/[，。：]/);
  });
});

describe('missing glyphs', () => {
  it('names the character the font lacks', () => {
    expect(() => assertPrintable(['申请人：王𪚥'])).toThrow(/𪚥.*U\+2A6A5/);
    expect(codeOf(() => assertPrintable(['王𪚥']))).toBe('FONT_MISSING_GLYPH');
  });

  it('refuses to render an agreement with such a character instead of printing a blank box', async () => {
    const [first, second] = parties;
    const draft = agreementDraft({ parties: [{ ...first, name: '王𪚥' }, second] });
    const err = await renderAgreement(draft, {}, binding).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CourtLinkError);
    expect((err as CourtLinkError).code).toBe('FONT_MISSING_GLYPH');
    expect((err as CourtLinkError).message).toContain('𪚥');
  });
});

describe('normalizeSignaturePng', () => {
  it('crops and scales real ink into the fixed box as a transparent PNG', () => {
    const out = PNG.sync.read(Buffer.from(normalizeSignaturePng(signaturePng(3, 1200, 400))));
    expect([out.width, out.height]).toEqual([signatureBox.width, signatureBox.height]);
    let ink = 0;
    for (let i = 3; i < out.data.length; i += 4) if ((out.data[i] ?? 0) > 64) ink++;
    expect(ink).toBeGreaterThan(1000);
    // The corner is background: transparent, not white.
    expect(out.data[3]).toBe(0);
  });

  it('refuses bytes that are not a PNG', () => {
    expect(codeOf(() => normalizeSignaturePng(new TextEncoder().encode('GIF89a not a png at all')))).toBe('SIGNATURE_IMAGE_INVALID');
    const truncated = signaturePng(1).subarray(0, 60);
    expect(codeOf(() => normalizeSignaturePng(truncated))).toBe('SIGNATURE_IMAGE_INVALID');
  });

  it('refuses oversized files and pixel dimensions', () => {
    expect(codeOf(() => normalizeSignaturePng(new Uint8Array(signatureLimits.maxBytes + 1)))).toBe('SIGNATURE_IMAGE_TOO_LARGE');
    const wide = new PNG({ width: signatureLimits.maxSide + 1, height: 2 });
    expect(codeOf(() => normalizeSignaturePng(new Uint8Array(PNG.sync.write(wide))))).toBe('SIGNATURE_IMAGE_TOO_LARGE');
  });

  it('refuses an empty signature', () => {
    expect(codeOf(() => normalizeSignaturePng(blankPng()))).toBe('SIGNATURE_IMAGE_EMPTY');
    const transparent = new PNG({ width: 200, height: 80 });
    transparent.data.fill(0);
    expect(codeOf(() => normalizeSignaturePng(new Uint8Array(PNG.sync.write(transparent))))).toBe('SIGNATURE_IMAGE_EMPTY');
  });
});
