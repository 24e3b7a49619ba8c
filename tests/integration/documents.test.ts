import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateDir,
  ensureCertificates,
  normalizeSignaturePng,
  renderAgreement,
  renderRuling,
  type SigningKeys,
  signPdf,
  verifyPdf,
} from '../../server/documents/index.js';
import { agreementDraft, binding, parties, rulingDraft, signaturePng } from '../support/pdfFixtures.js';
import { nssTrusting, pdfsig, pdfText, qrOnPage, withOneByteChanged } from '../support/pdfTools.js';

const run = promisify(execFile);

/** `courtlink verify <file>` from source; resolves with the exit status and output. */
async function courtlinkVerify(dataDir: string, file: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/support/pdfCli.ts', 'verify', file], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('signed agreements and rulings (real pdfsig, pdftotext, certutil)', () => {
  let dir: string;
  let keys: SigningKeys;
  let nss: string;
  let agreementFile: string;
  let agreement: Uint8Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courtlink-documents-'));
    keys = ensureCertificates(dir);
    nss = await nssTrusting(dir, readFileSync(join(certificateDir(dir), 'ca.crt'), 'utf8'));
    const signatures = {
      p1: { png: normalizeSignaturePng(signaturePng(1)), signedAt: new Date('2026-05-20T08:00:00Z'), ip: '10.20.30.41' },
      p2: { png: normalizeSignaturePng(signaturePng(2)), signedAt: new Date('2026-05-20T08:01:00Z'), ip: '10.20.30.42' },
    };
    agreement = await signPdf(await renderAgreement(agreementDraft(), signatures, binding), keys.organisation, 'organisation');
    agreementFile = join(dir, 'agreement.pdf');
    writeFileSync(agreementFile, agreement);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pdfsig finds the agreement validly signed by the organisation, whole document, trusted chain', async () => {
    const [sig, ...more] = await pdfsig(agreementFile, nss);
    expect(more).toHaveLength(0);
    expect(sig).toEqual({
      field: '调解组织电子签章',
      commonName: 'CourtLink 开发测试人民调解委员会电子签章',
      validation: 'Signature is Valid.',
      certificate: 'Certificate is Trusted.',
      total: true,
    });
  });

  it('pdftotext returns the Chinese party names, every term and the page numbers; ID numbers and phones are masked', async () => {
    const text = await pdfText(agreementFile);
    for (const p of parties) expect(text).toContain(p.name);
    for (const term of agreementDraft().terms) expect(text).toContain(term.text.replace(/\s+/g, ''));
    expect(text).toContain('第1页共2页');
    expect(text).toContain('第2页共2页');
    expect(text).toContain('**************1234');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('110105196001011234');
    expect(text).not.toContain('13812345678');
    expect(text).toContain(`审计链头：${binding.auditHead}`);
  });

  it('the QR code on the last page decodes to the verification URL', async () => {
    expect(await qrOnPage(agreementFile, 2)).toBe(binding.verifyUrl);
  });

  it('`courtlink cert init` makes a 2-level development chain that the signer loads and marks as development', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'courtlink-certs-'));
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/support/pdfCli.ts', 'cert', 'init'], {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: fresh },
      });
      expect(stdout).toContain(certificateDir(fresh));
      const ca = new X509Certificate(readFileSync(join(certificateDir(fresh), 'ca.crt')));
      expect(ca.ca).toBe(true);
      const fromCli = ensureCertificates(fresh);
      expect(fromCli.development).toEqual({ organisation: true, court: true });
      expect(fromCli.organisation.chain).toHaveLength(2);
      const leaf = new X509Certificate(Buffer.from(fromCli.organisation.certificateDer));
      expect(leaf.ca).toBe(false);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('a configured .p12 with the wrong password is refused with a catalogue code and without the password', () => {
    const attempt = () =>
      ensureCertificates(dir, {
        organisationP12: join(certificateDir(dir), 'organisation.p12'),
        organisationP12Password: 'wrong-secret-1234',
      });
    expect(attempt).toThrow(expect.objectContaining({ code: 'SIGNING_UNAVAILABLE' }));
    expect(attempt).not.toThrow(/wrong-secret-1234/);
  });

  it('verifyPdf and `courtlink verify` accept it and read back signer, time and the bound hashes', async () => {
    const report = await verifyPdf(agreement, keys.trustedRoots);
    expect(report.ok).toBe(true);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      field: '调解组织电子签章',
      valid: true,
      trusted: true,
      totalDocumentSigned: true,
      signer: 'CourtLink 开发测试人民调解委员会电子签章',
      binding: { recordingManifestSha256: binding.recordingManifestSha256, auditHead: binding.auditHead },
    });
    expect(Date.parse(report.signatures[0]?.signingTime ?? '')).toBeGreaterThan(Date.now() - 120_000);
    const cli = await courtlinkVerify(dir, agreementFile);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`audit chain head: ${binding.auditHead}`);
    expect(cli.stdout).toMatch(/VALID\s*$/);
  });

  it('one changed byte fails pdfsig, verifyPdf and `courtlink verify`', async () => {
    const tampered = withOneByteChanged(agreement);
    const file = join(dir, 'tampered.pdf');
    writeFileSync(file, tampered);
    const [sig] = await pdfsig(file, nss);
    expect(sig?.validation).toBe('Digest Mismatch.');
    const report = await verifyPdf(tampered, keys.trustedRoots);
    expect(report.ok).toBe(false);
    expect(report.signatures[0]?.intact).toBe(false);
    const cli = await courtlinkVerify(dir, file);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('INVALID');
  });

  it('bytes appended after signing are reported as a modified document', async () => {
    const appended = Buffer.concat([agreement, Buffer.from('\n% appended\n')]);
    const report = await verifyPdf(appended, keys.trustedRoots);
    expect(report.signatures[0]).toMatchObject({ intact: true, totalDocumentSigned: false });
    expect(report.ok).toBe(false);
  });

  it('a signature that chains to no pinned root is not trusted', async () => {
    const report = await verifyPdf(agreement, []);
    expect(report.signatures[0]).toMatchObject({ intact: true, trusted: false, valid: false });
    expect(report.ok).toBe(false);
  });

  it('the ruling cites the agreement hash and is validly signed by the court', async () => {
    const agreementSha256 = createHash('sha256').update(agreement).digest('hex');
    const ruling = await signPdf(
      await renderRuling(rulingDraft(agreementSha256), { auditHead: binding.auditHead, verifyUrl: binding.verifyUrl }),
      keys.court,
      'court',
    );
    const file = join(dir, 'ruling.pdf');
    writeFileSync(file, ruling);
    const [sig] = await pdfsig(file, nss);
    expect(sig).toMatchObject({
      field: '法院电子签章',
      commonName: 'CourtLink 开发测试人民法院电子签章',
      validation: 'Signature is Valid.',
      certificate: 'Certificate is Trusted.',
      total: true,
    });
    const text = await pdfText(file);
    expect(text).toContain('民事裁定书');
    expect(text).toContain(agreementSha256);
    expect(text).toContain('上述调解协议有效');
    for (const p of parties) expect(text).toContain(p.name);
    const report = await verifyPdf(ruling, keys.trustedRoots);
    expect(report.ok).toBe(true);
    expect(report.signatures[0]?.binding.agreementSha256).toBe(agreementSha256);
  });

  it('a ruling that does not confirm prints the reason', async () => {
    const pdf = await renderRuling(rulingDraft('c'.repeat(64), false), { verifyUrl: binding.verifyUrl });
    const file = join(dir, 'refused.pdf');
    writeFileSync(file, pdf);
    const text = await pdfText(file);
    expect(text).toContain('调解协议内容违反法律强制性规定');
    expect(text).toContain('驳回申请人的司法确认申请');
  });
});
