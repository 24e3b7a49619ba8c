import { ANNOTATION_FLAGS, DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import { PDFArray, type PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFString } from 'pdf-lib';

/** Room for the CMS: 8 KB holds an RSA-2048 leaf plus an RSA-3072 CA with space to spare (the stock 4 KB can overflow). */
const signatureBytes = 8192;

export type PlaceholderText = { fieldName: string; reason: string; name: string; location: string; contactInfo?: string };

/**
 * Adds an empty signature field for @signpdf to fill. Our own, not
 * @signpdf/placeholder-pdf-lib, because that writes text with PDFString.of
 * (keeps only low bytes: Chinese comes out garbled) and always names the field
 * Signature1. Text strings here are UTF-16 hex strings.
 */
export function addSignaturePlaceholder(doc: PDFDocument, text: PlaceholderText, signingTime: Date): void {
  const context = doc.context;
  const byteRange = PDFArray.withContext(context);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER));

  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(signatureBytes * 2)),
    Reason: PDFHexString.fromText(text.reason),
    M: PDFString.fromDate(signingTime),
    Name: PDFHexString.fromText(text.name),
    Location: PDFHexString.fromText(text.location),
    ContactInfo: PDFHexString.fromText(text.contactInfo ?? ''),
  });
  // Written as raw bytes, so pdf-lib never moves it into a compressed object stream
  // (the signer patches /ByteRange and /Contents in the saved file).
  const raw = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(raw, 0);
  const signatureRef = context.register(PDFInvalidObject.of(raw));

  const page = doc.getPage(doc.getPageCount() - 1);
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: signatureRef,
    T: PDFHexString.fromText(text.fieldName),
    F: ANNOTATION_FLAGS.PRINT,
    P: page.ref,
  });
  const widgetRef = context.register(widget);
  const annots = page.node.Annots();
  if (annots) annots.push(widgetRef);
  else page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
  doc.catalog.set(
    PDFName.of('AcroForm'),
    context.obj({ SigFlags: SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY, Fields: [widgetRef] }),
  );
}
