import { constants, createPrivateKey, type KeyObject, privateEncrypt } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { CourtLinkError } from '../../signaling/index.js';

// DER prefix of DigestInfo{sha256, NULL}; the digest follows (PKCS#1 v1.5 signature block).
const oids = forge.pki.oids as Record<'sha256' | 'contentType' | 'data' | 'signingTime' | 'messageDigest', string>;
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs the /ByteRange of a PDF as a detached CMS (PKCS#7) SignedData with
 * SHA-256 and RSA, from a PKCS#12 file. Replaces @signpdf/signer-p12 because:
 * - node-forge writes a UTF8String issuer into SignerInfo encoded twice
 *   (forge #847), which breaks every signature whose CA has a Chinese name;
 * - it parses the .p12 (PBKDF2 in JavaScript) once here, not on every sign;
 * - the RSA operation runs in node:crypto (about 3 ms, not 30–40 ms in forge).
 */
export class CmsSigner extends Signer {
  readonly certificate: forge.pki.Certificate;
  readonly chain: forge.pki.Certificate[];
  private readonly key: KeyObject;

  constructor(p12: Uint8Array, password: string) {
    super();
    let bundle: forge.pkcs12.Pkcs12Pfx;
    try {
      bundle = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(p12).toString('binary')), password);
    } catch {
      // forge's message can name the password problem; it never contains the password itself.
      throw new CourtLinkError(
        'SIGNING_UNAVAILABLE',
        'The signing certificate (PKCS#12) could not be opened: wrong password or not a PKCS#12 file.',
      );
    }
    const keyBagType = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const certBagType = forge.pki.oids.certBag as string;
    const keyBag = bundle.getBags({ bagType: keyBagType })[keyBagType]?.[0];
    const privateKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
    if (!privateKey?.n) throw new CourtLinkError('SIGNING_UNAVAILABLE', 'The PKCS#12 file holds no RSA private key.');
    this.chain = (bundle.getBags({ bagType: certBagType })[certBagType] ?? [])
      .map((bag) => bag.cert)
      .filter((cert): cert is forge.pki.Certificate => cert !== undefined && cert !== null);
    const own = this.chain.find((cert) => {
      const pub = cert.publicKey as forge.pki.rsa.PublicKey;
      return pub.n?.equals(privateKey.n) && pub.e?.equals(privateKey.e);
    });
    if (!own) throw new CourtLinkError('SIGNING_UNAVAILABLE', 'The PKCS#12 file holds no certificate for its private key.');
    this.certificate = own;
    this.key = createPrivateKey(forge.pki.privateKeyToPem(privateKey));
  }

  /** The signing certificate in DER, e.g. for node:crypto's X509Certificate. */
  get certificateDer(): Uint8Array {
    return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(this.certificate)).getBytes(), 'binary');
  }

  /** The certificate's subject common name, e.g. 某某人民调解委员会电子签章. */
  get signerName(): string {
    const cn = this.certificate.subject.getField('CN') as { value: string; valueTagClass: number } | null;
    if (!cn) return '';
    return cn.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(cn.value) : cn.value;
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    for (const cert of this.chain) p7.addCertificate(cert);
    const key = this.key;
    p7.addSigner({
      // forge only calls key.sign(md); the RSA work happens in node:crypto.
      key: {
        sign: (md: forge.md.MessageDigest) =>
          privateEncrypt(
            { key, padding: constants.RSA_PKCS1_PADDING },
            Buffer.concat([sha256DigestInfo, Buffer.from(md.digest().getBytes(), 'binary')]),
          ).toString('binary'),
      } as unknown as forge.pki.rsa.PrivateKey,
      certificate: this.certificate,
      digestAlgorithm: oids.sha256,
      authenticatedAttributes: [
        { type: oids.contentType, value: oids.data },
        { type: oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: oids.messageDigest },
      ],
    });
    // Undo forge's second UTF-8 encoding of the issuer (forge #847).
    const signer = (p7 as unknown as { signers: { issuer: { valueTagClass: number; value: string }[] }[] }).signers[0];
    if (signer) {
      signer.issuer = (this.certificate.issuer.attributes as { valueTagClass: number; value: string }[]).map((attr) =>
        attr.valueTagClass === forge.asn1.Type.UTF8 ? { ...attr, value: forge.util.decodeUtf8(attr.value) } : attr,
      );
    }
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}
