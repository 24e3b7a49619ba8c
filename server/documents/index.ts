// The document engine: agreements and rulings as signed Chinese PDFs, and their verification.
export { type EvidenceBinding, readBinding } from './binding.js';
export { CmsSigner } from './CmsSigner.js';
export {
  certificateDir,
  developmentRoots,
  ensureCertificates,
  initDevelopmentCertificates,
  type SigningConfig,
  type SigningKeys,
  trustedRoots,
} from './certificates.js';
export { assertPrintable, fontFace, fontFile } from './cjkFont.js';
export { type PartySignature, renderAgreement } from './renderAgreement.js';
export { renderRuling } from './renderRuling.js';
export { normalizeSignaturePng, signatureBox, signatureLimits } from './signatureImage.js';
export { type SignerRole, signPdf } from './signPdf.js';
export { agreementTemplates } from './templates.js';
export { type PdfReport, type SignatureReport, verifyPdf } from './verifyPdf.js';
