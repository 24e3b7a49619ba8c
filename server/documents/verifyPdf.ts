import { webcrypto } from 'node:crypto';
import type * as asn1js from 'asn1js';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFSignature } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { type EvidenceBinding, readBinding } from './binding.js';

pkijs.setEngine(
  'node',
  new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }),
);

export type SignatureReport = {
  field: string;
  /** Intact (digest and RSA signature match) and chained to a pinned root. */
  valid: boolean;
  intact: boolean;
  trusted: boolean;
  signer: string;
  signingTime: string | undefined;
  /** False when bytes follow the signed ranges: the document was changed after this signature. */
  totalDocumentSigned: boolean;
  problem: string | undefined;
  binding: Partial<EvidenceBinding>;
};

export type PdfReport = { ok: boolean; signatures: SignatureReport[]; problem: string | undefined };

const oid = { commonName: '2.5.4.3', signingTime: '1.2.840.113549.1.9.5' } as const;

function pemToCertificate(pem: string): pkijs.Certificate {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

/** The DER object at the start of `bytes` (the /Contents hex is zero-padded after it). */
function trimDer(bytes: Uint8Array): Uint8Array {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return bytes.subarray(0, 2 + count + length);
}

function commonName(cert: pkijs.Certificate | undefined): string {
  const cn = cert?.subject.typesAndValues.find((tv) => tv.type === oid.commonName);
  return cn ? String((cn.value as asn1js.Utf8String).valueBlock.value) : '';
}

function byteRangeOf(sig: PDFDict): number[] | undefined {
  const range = sig.lookup(PDFName.of('ByteRange'));
  if (!(range instanceof PDFArray) || range.size() !== 4) return undefined;
  const numbers = range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN));
  return numbers.every((n) => Number.isInteger(n) && n >= 0) ? numbers : undefined;
}

async function checkSignature(
  file: Uint8Array,
  field: string,
  sig: PDFDict,
  roots: pkijs.Certificate[],
  binding: Partial<EvidenceBinding>,
): Promise<SignatureReport> {
  const report: SignatureReport = {
    field,
    valid: false,
    intact: false,
    trusted: false,
    signer: '',
    signingTime: undefined,
    totalDocumentSigned: false,
    problem: undefined,
    binding,
  };
  const range = byteRangeOf(sig);
  const contents = sig.lookup(PDFName.of('Contents'));
  if (!range || !(contents instanceof PDFHexString)) return { ...report, problem: 'no /ByteRange or /Contents' };
  const [start, gapStart, gapEnd, tailLength] = range as [number, number, number, number];
  // The gap must be exactly the <hex> of /Contents, and the ranges inside the file.
  if (start !== 0 || gapEnd + tailLength > file.length || file[gapStart] !== 0x3c || file[gapEnd - 1] !== 0x3e) {
    return { ...report, problem: 'the byte range does not match the file' };
  }
  report.totalDocumentSigned = gapEnd + tailLength === file.length;
  const data = Buffer.concat([file.subarray(0, gapStart), file.subarray(gapEnd, gapEnd + tailLength)]);

  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(trimDer(contents.asBytes())));
    signed = new pkijs.SignedData({ schema: info.content });
  } catch {
    return { ...report, problem: 'the CMS signature cannot be parsed' };
  }
  const signerInfo = signed.signerInfos[0];
  const time = signerInfo?.signedAttrs?.attributes.find((a) => a.type === oid.signingTime)?.values[0] as asn1js.UTCTime | undefined;
  report.signingTime = time?.toDate().toISOString();
  const leaf = signed.certificates?.find(
    (c): c is pkijs.Certificate =>
      c instanceof pkijs.Certificate &&
      signerInfo?.sid instanceof pkijs.IssuerAndSerialNumber &&
      c.serialNumber.isEqual(signerInfo.sid.serialNumber),
  );
  report.signer = commonName(leaf);

  const params = { signer: 0, data: new Uint8Array(data).buffer, extendedMode: true } as const;
  try {
    const result = await signed.verify({ ...params, checkChain: false });
    report.intact = result.signatureVerified === true;
  } catch (err) {
    return { ...report, problem: (err as Error).message };
  }
  try {
    const result = await signed.verify({ ...params, checkChain: true, trustedCerts: roots });
    report.trusted = result.signatureVerified === true && result.signerCertificateVerified === true;
  } catch (err) {
    report.problem = `certificate not trusted: ${(err as Error).message}`;
  }
  report.valid = report.intact && report.trusted;
  return report;
}

/**
 * Checks every signature of a PDF: intact, chained to one of `trustedRoots`
 * (PEM), who signed and when, whether the document changed after signing, and
 * the evidence it is bound to. Signature fields are found by parsing the PDF
 * (a byte search misses signatures inside object streams).
 */
export async function verifyPdf(buf: Uint8Array, trustedRoots: readonly string[]): Promise<PdfReport> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return { ok: false, signatures: [], problem: 'not a readable PDF' };
  }
  const roots = trustedRoots.map(pemToCertificate);
  const binding = readBinding(doc);
  const signatures: SignatureReport[] = [];
  for (const field of doc.getForm().getFields()) {
    if (!(field instanceof PDFSignature)) continue;
    const sig = field.acroField.dict.lookup(PDFName.of('V'));
    if (sig instanceof PDFDict) signatures.push(await checkSignature(buf, field.getName(), sig, roots, binding));
  }
  if (signatures.length === 0) return { ok: false, signatures, problem: 'the document has no signatures' };
  const last = signatures.reduce((a, b) => (b.totalDocumentSigned ? b : a));
  const ok = signatures.every((s) => s.valid) && last.totalDocumentSigned;
  return { ok, signatures, problem: ok ? undefined : 'a signature is invalid or the document was changed after signing' };
}
