import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type RecordingKey = { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string };

/** Fixed name under DATA_DIR/secrets, next to the JWT secret. */
export function recordingKeyPath(dataDir: string): string {
  return join(dataDir, 'secrets', 'recording-ed25519.pem');
}

/**
 * The Ed25519 key that signs recording manifests: the configured PEM file
 * (RECORDING_SIGNING_KEY), or one generated on first start and kept (0600).
 * The public half is what `GET /api/keys/recording` serves.
 */
export async function loadOrCreateRecordingKey(opts: { dataDir: string; keyPath?: string | undefined }): Promise<RecordingKey> {
  const path = opts.keyPath ?? recordingKeyPath(opts.dataDir);
  let pem: string | undefined;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || opts.keyPath)
      throw new Error(`cannot read the recording signing key at ${path}`);
  }
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await mkdir(join(opts.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    // 'wx': two processes starting at once must not each write their own key.
    await writeFile(path, pem, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
      pem = await readFile(path, 'utf8');
    });
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the recording signing key at ${path} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
