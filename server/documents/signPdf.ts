import { SignPdf } from '@signpdf/signpdf';
import { PDFDocument } from 'pdf-lib';
import { CourtLinkError } from '../../signaling/index.js';
import { readBinding } from './binding.js';
import type { CmsSigner } from './CmsSigner.js';
import { addSignaturePlaceholder } from './placeholder.js';

export type SignerRole = 'organisation' | 'court';

const fieldNames: Record<SignerRole, string> = { organisation: '调解组织电子签章', court: '法院电子签章' };

function reasonText(role: SignerRole, binding: ReturnType<typeof readBinding>): string {
  const parts = [role === 'court' ? '人民法院司法确认裁定签章' : '人民调解委员会调解协议签章'];
  if (binding.agreementSha256) parts.push(`调解协议 SHA-256 ${binding.agreementSha256}`);
  if (binding.recordingManifestSha256) parts.push(`录像清单 SHA-256 ${binding.recordingManifestSha256}`);
  if (binding.auditHead) parts.push(`审计链头 ${binding.auditHead}`);
  return parts.join('；');
}

/**
 * Adds a signature field and signs the whole document with the given
 * certificate (detached CMS over /ByteRange, SHA-256). The evidence binding
 * the document carries is repeated in the signature's /Reason for readers.
 */
export async function signPdf(pdf: Uint8Array, signer: CmsSigner, role: SignerRole, signingTime = new Date()): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch {
    throw new CourtLinkError('INVALID_PAYLOAD', 'The document to sign is not a readable PDF.');
  }
  addSignaturePlaceholder(
    doc,
    {
      fieldName: fieldNames[role],
      reason: reasonText(role, readBinding(doc)),
      name: signer.signerName,
      location: '中华人民共和国',
    },
    signingTime,
  );
  const unsigned = await doc.save();
  const signed = await new SignPdf().sign(Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.byteLength), signer, signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
