import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestFileName, signatureFileName } from './ids.js';
import { describeFile, Manifest } from './manifest.js';

export type VerifyFailure = { file: string; reason: string };
export type VerifyResult = { ok: boolean; manifest: Manifest | undefined; checked: string[]; failures: VerifyFailure[] };

/**
 * Checks the Ed25519 signature over manifest.json, then every listed file's
 * size and SHA-256. Every failing file is named; one failure does not hide
 * the others. File names come from the schema's strict patterns, so a forged
 * manifest cannot point outside the directory.
 */
export async function verifyRecordingDir(dir: string, publicKey: KeyObject | string): Promise<VerifyResult> {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const failures: VerifyFailure[] = [];
  const checked: string[] = [];
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, manifestFileName));
  } catch {
    return { ok: false, manifest: undefined, checked, failures: [{ file: manifestFileName, reason: 'missing' }] };
  }
  checked.push(manifestFileName, signatureFileName);
  const signature = await readFile(join(dir, signatureFileName), 'utf8').then(
    (text) => Buffer.from(text.trim(), 'base64'),
    () => undefined,
  );
  if (!signature) failures.push({ file: signatureFileName, reason: 'missing' });
  else if (!verify(null, bytes, key, signature)) failures.push({ file: manifestFileName, reason: 'signature does not match' });

  let manifest: Manifest | undefined;
  try {
    manifest = Manifest.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    failures.push({ file: manifestFileName, reason: 'not a valid manifest' });
    return { ok: false, manifest: undefined, checked, failures };
  }
  const listed = [...manifest.tracks, ...(manifest.composite ? [manifest.composite] : [])];
  for (const entry of listed) {
    checked.push(entry.file);
    const actual = await describeFile(dir, entry.file).catch(() => undefined);
    if (!actual) failures.push({ file: entry.file, reason: 'missing' });
    else if (actual.bytes !== entry.bytes)
      failures.push({ file: entry.file, reason: `size ${actual.bytes}, manifest says ${entry.bytes}` });
    else if (actual.sha256 !== entry.sha256) failures.push({ file: entry.file, reason: 'SHA-256 does not match' });
  }
  return { ok: failures.length === 0, manifest, checked, failures };
}
