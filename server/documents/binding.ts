import { type PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

/**
 * What a document is bound to at signing: the session's recording manifest
 * (if it was recorded), the head of its audit chain, and for a ruling the
 * agreement it confirms. Printed on the page and stored in the document
 * information dictionary, inside the signed bytes, where verifyPdf reads it back.
 */
export const EvidenceBinding = z.object({
  recordingManifestSha256: sha256Hex.optional(),
  auditHead: sha256Hex.optional(),
  agreementSha256: sha256Hex.optional(),
  verifyUrl: z.url({ protocol: /^https?$/ }).max(500),
});
export type EvidenceBinding = z.infer<typeof EvidenceBinding>;

const keys = {
  recordingManifestSha256: 'CourtLinkRecordingManifestSha256',
  auditHead: 'CourtLinkAuditHead',
  agreementSha256: 'CourtLinkAgreementSha256',
  verifyUrl: 'CourtLinkVerifyUrl',
} as const satisfies Record<keyof EvidenceBinding, string>;

export function parseBinding(binding: unknown): EvidenceBinding {
  const parsed = EvidenceBinding.safeParse(binding);
  if (!parsed.success)
    throw new CourtLinkError('INVALID_PAYLOAD', `Invalid evidence binding: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
  return parsed.data;
}

function infoDict(doc: PDFDocument) {
  // pdf-lib keeps getInfoDict() private; the trailer's /Info is the same dictionary.
  return (doc as unknown as { getInfoDict(): import('pdf-lib').PDFDict }).getInfoDict();
}

export function storeBinding(doc: PDFDocument, binding: EvidenceBinding): void {
  const info = infoDict(doc);
  for (const [field, key] of Object.entries(keys) as [keyof EvidenceBinding, string][]) {
    const value = binding[field];
    if (value !== undefined) info.set(PDFName.of(key), PDFString.of(value));
  }
}

/** Reads the binding back; fields that are absent or malformed are left out. */
export function readBinding(doc: PDFDocument): Partial<EvidenceBinding> {
  const info = infoDict(doc);
  const found: Partial<EvidenceBinding> = {};
  for (const [field, key] of Object.entries(keys) as [keyof EvidenceBinding, string][]) {
    const value = info.lookup(PDFName.of(key));
    if (value instanceof PDFString) {
      const text = value.decodeText();
      const ok = field === 'verifyUrl' ? EvidenceBinding.shape.verifyUrl.safeParse(text).success : sha256Hex.safeParse(text).success;
      if (ok) found[field] = text;
    }
  }
  return found;
}
