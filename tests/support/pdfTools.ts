import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';

const run = promisify(execFile);
// jsqr is CommonJS with an ES-style default export; under NodeNext the default import is the module object.
const jsQR = ((jsqrModule as unknown as { default?: unknown }).default ?? jsqrModule) as typeof jsqrModule.default;

/** An NSS database in `dir` that trusts `caPem` as a CA, so pdfsig can say "Certificate is Trusted.". */
export async function nssTrusting(dir: string, caPem: string): Promise<string> {
  const db = join(dir, 'nss');
  mkdirSync(db, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), caPem);
  await run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  await run('certutil', ['-A', '-d', `sql:${db}`, '-n', 'courtlink-dev-ca', '-t', 'CT,C,C', '-i', join(dir, 'ca.crt')]);
  return `sql:${db}`;
}

export type PdfsigSignature = { field: string; commonName: string; validation: string; certificate: string | undefined; total: boolean };

/** Runs pdfsig and parses its report: its exit status is 0 even for a digest mismatch. */
export async function pdfsig(file: string, nssDir: string): Promise<PdfsigSignature[]> {
  const { stdout } = await run('pdfsig', ['-nssdir', nssDir, file]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      field: /Signature Field Name: (.*)$/m.exec(block)?.[1] ?? '',
      commonName: /Signer Certificate Common Name: (.*)$/m.exec(block)?.[1] ?? '',
      validation: /Signature Validation: (.*)$/m.exec(block)?.[1] ?? '',
      certificate: /Certificate Validation: (.*)$/m.exec(block)?.[1],
      total: /^\s+- Total document signed$/m.test(block),
    }));
}

/** The text layer, whitespace removed (pdftotext's spacing depends on layout). */
export async function pdfText(file: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-raw', file, '-']);
  return stdout.replace(/\s+/g, '');
}

/** Renders one page with poppler and decodes the first QR code on it. */
export async function qrOnPage(file: string, page: number): Promise<string | undefined> {
  const { stdout } = await run('pdftoppm', ['-r', '150', '-f', String(page), '-l', String(page), '-png', file], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const image = PNG.sync.read(stdout);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

/** A copy with one byte changed inside the largest stream (the font), so the file still parses. */
export function withOneByteChanged(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  let best = { start: 0, length: 0 };
  for (let at = text.indexOf('stream\n'); at !== -1; at = text.indexOf('stream\n', at + 1)) {
    const end = text.indexOf('endstream', at);
    if (end - at > best.length) best = { start: at + 7, length: end - at - 7 };
  }
  const copy = new Uint8Array(pdf);
  const i = best.start + Math.floor(best.length / 2);
  copy[i] = (copy[i] ?? 0) ^ 0x01;
  return copy;
}
