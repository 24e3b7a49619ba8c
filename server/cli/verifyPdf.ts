import { readFile } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { type SignatureReport, trustedRoots, verifyPdf } from '../documents/index.js';

function describe(s: SignatureReport, n: number): string[] {
  const lines = [
    `Signature #${n}: ${s.field}`,
    `  signer: ${s.signer || '(unknown)'}`,
    `  signing time: ${s.signingTime ?? '(none)'}`,
    `  signature: ${s.intact ? 'intact' : 'INVALID'}`,
    `  certificate: ${s.trusted ? 'trusted' : 'NOT trusted'}`,
    `  document: ${s.totalDocumentSigned ? 'not modified after signing' : 'MODIFIED after signing'}`,
  ];
  if (s.problem) lines.push(`  problem: ${s.problem}`);
  if (s.binding.recordingManifestSha256) lines.push(`  recording manifest SHA-256: ${s.binding.recordingManifestSha256}`);
  if (s.binding.auditHead) lines.push(`  audit chain head: ${s.binding.auditHead}`);
  if (s.binding.agreementSha256) lines.push(`  agreement SHA-256: ${s.binding.agreementSha256}`);
  return lines;
}

/**
 * `courtlink verify <file.pdf>`: prints every signature of a signed agreement
 * or ruling and returns whether all are valid, trusted and cover the document.
 */
export async function runVerifyPdf(path: string, config: Config, out: (line: string) => void): Promise<boolean> {
  const file = await readFile(path).catch(() => {
    throw new Error(`cannot read ${path}`);
  });
  const report = await verifyPdf(file, trustedRoots(config.dataDir, config.documents));
  out(`${path}: ${report.signatures.length} signature(s)`);
  report.signatures.forEach((s, i) => {
    for (const line of describe(s, i + 1)) out(line);
  });
  out(report.ok ? 'VALID' : `INVALID: ${report.problem ?? 'unknown'}`);
  return report.ok;
}
