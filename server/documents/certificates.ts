import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { CourtLinkError } from '../../signaling/index.js';
import { CmsSigner } from './CmsSigner.js';

/** Configured signing certificates (PKCS#12 with password); unset means the development ones. */
export type SigningConfig = {
  organisationP12?: string | undefined;
  organisationP12Password?: string | undefined;
  courtP12?: string | undefined;
  courtP12Password?: string | undefined;
};

export type SigningKeys = {
  organisation: CmsSigner;
  court: CmsSigner;
  /** PEM roots a signature must chain to: the development CA and the roots in configured .p12 files. */
  trustedRoots: string[];
  /** True when either signer is a development certificate (the UI marks such documents). */
  development: { organisation: boolean; court: boolean };
};

// Fixed names under DATA_DIR/certs; nothing here comes from user input.
const files = { ca: 'ca.crt', organisation: 'organisation.p12', court: 'court.p12', password: 'dev-p12.password' } as const;

export function certificateDir(dataDir: string): string {
  return join(resolve(dataDir), 'certs');
}

type Name = { shortName: string; value: string; valueTagClass?: number }[];
const utf8 = forge.asn1.Type.UTF8 as number;
const name = (organisation: string, common: string): Name => [
  { shortName: 'C', value: 'CN' },
  { shortName: 'O', value: organisation, valueTagClass: utf8 },
  { shortName: 'CN', value: common, valueTagClass: utf8 },
];

function newKeys(bits: number): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Key generation in node:crypto: forge's JavaScript RSA keygen takes seconds.
  const pair = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKey: forge.pki.privateKeyFromPem(
      pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
  };
}

function issue(
  subject: Name,
  keys: ReturnType<typeof newKeys>,
  years: number,
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(12).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  cert.setExtensions(
    issuer
      ? [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'subjectKeyIdentifier' },
          { name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() },
        ]
      : [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return cert;
}

function writePrivate(path: string, bytes: string | Uint8Array): void {
  writeFileSync(path, bytes, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * `courtlink cert init`: a development CA and, issued by it, the mediation
 * organisation's and the court's signing certificates (2 levels, which is what
 * NSS and pkijs accept as a chain; a self-signed leaf cannot be trusted).
 * Each .p12 holds the leaf key, the leaf and the CA. Existing files are kept
 * unless `force` is set. Returns the directory.
 */
export function initDevelopmentCertificates(dataDir: string, options: { force?: boolean } = {}): string {
  const dir = certificateDir(dataDir);
  if (!options.force && existsSync(join(dir, files.ca))) return dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKeys = newKeys(3072);
  const ca = issue(name('CourtLink 开发测试', 'CourtLink 开发测试根证书（非正式）'), caKeys, 10);
  const password = randomBytes(24).toString('base64url');
  const leaves = {
    organisation: name('CourtLink 开发测试人民调解委员会', 'CourtLink 开发测试人民调解委员会电子签章'),
    court: name('CourtLink 开发测试人民法院', 'CourtLink 开发测试人民法院电子签章'),
  };
  for (const [role, subject] of Object.entries(leaves) as [keyof typeof leaves, Name][]) {
    const keys = newKeys(2048);
    const cert = issue(subject, keys, 3, { cert: ca, key: caKeys.privateKey });
    const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], password, { algorithm: 'aes256', friendlyName: role });
    writePrivate(join(dir, files[role]), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  }
  writePrivate(join(dir, files.password), password);
  writeFileSync(join(dir, files.ca), forge.pki.certificateToPem(ca));
  return dir;
}

/** A configured .p12; the path comes from the operator's configuration, never from a request. */
function openP12(path: string, password: string | undefined): CmsSigner {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CourtLinkError('SIGNING_UNAVAILABLE', `The signing certificate ${path} cannot be read.`);
  }
  return new CmsSigner(bytes, password ?? '');
}

/** Self-signed certificates among a signer's chain: the roots its .p12 vouches for. */
function rootsOf(signer: CmsSigner): string[] {
  return signer.chain.filter((c) => c.isIssuer(c)).map((c) => forge.pki.certificateToPem(c));
}

function loadDevelopment(dataDir: string, role: 'organisation' | 'court'): CmsSigner {
  const dir = certificateDir(dataDir);
  if (!existsSync(join(dir, files[role]))) initDevelopmentCertificates(dataDir, { force: true });
  return new CmsSigner(readFileSync(join(dir, files[role])), readFileSync(join(dir, files.password), 'utf8').trim());
}

/**
 * Called by the server at start (and by the CLI): loads the configured .p12
 * files, and for any role without one creates (once) and loads the
 * development certificates in DATA_DIR/certs.
 */
export function ensureCertificates(dataDir: string, config: SigningConfig = {}): SigningKeys {
  const organisation = config.organisationP12
    ? openP12(config.organisationP12, config.organisationP12Password)
    : loadDevelopment(dataDir, 'organisation');
  const court = config.courtP12
    ? new CmsSigner(readFileSync(config.courtP12), config.courtP12Password ?? '')
    : loadDevelopment(dataDir, 'court');
  const trustedRoots = [...new Set([...developmentRoots(dataDir), ...rootsOf(organisation), ...rootsOf(court)])];
  return { organisation, court, trustedRoots, development: { organisation: !config.organisationP12, court: !config.courtP12 } };
}

/** The development CA, if one was made; verification pins it as a root. */
export function developmentRoots(dataDir: string): string[] {
  const path = join(certificateDir(dataDir), files.ca);
  return existsSync(path) ? [readFileSync(path, 'utf8')] : [];
}

/** Roots to verify against, without creating anything: the development CA (if made) and the roots in configured .p12 files. */
export function trustedRoots(dataDir: string, config: SigningConfig = {}): string[] {
  const roots = developmentRoots(dataDir);
  for (const [path, password] of [
    [config.organisationP12, config.organisationP12Password],
    [config.courtP12, config.courtP12Password],
  ] as const) {
    if (path) roots.push(...rootsOf(openP12(path, password)));
  }
  return [...new Set(roots)];
}
