import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { recordingKeyPath, verifyRecordingDir } from '../../recordings/index.js';
import type { Config } from '../config/index.js';

/** A public key PEM given with --key, else the public half of this server's own signing key. */
function publicKeyFor(config: Config, keyFile: string | undefined): KeyObject {
  const path = keyFile ?? config.recording.signingKeyPath ?? recordingKeyPath(config.dataDir);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no recording key at ${path}: pass the public key with --key <file.pem> (GET /api/keys/recording serves it)`);
  }
  return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}

/** `courtlink verify <recording-dir>`: prints each checked file; throws (exit 1) naming every file that fails. */
export async function verifyRecordingCommand(
  dir: string,
  keyFile: string | undefined,
  config: Config,
  out: (line: string) => void,
): Promise<void> {
  const result = await verifyRecordingDir(dir, publicKeyFor(config, keyFile));
  const failed = new Map(result.failures.map((f) => [f.file, f.reason]));
  for (const file of new Set([...result.checked, ...failed.keys()]))
    out(`${failed.has(file) ? 'FAIL' : 'ok  '}  ${file}${failed.has(file) ? `: ${failed.get(file)}` : ''}`);
  if (!result.ok) throw new Error(`recording does not verify: ${[...failed.keys()].join(', ')}`);
  out(`verified: signature and ${result.checked.length - 2} file(s)`);
}
