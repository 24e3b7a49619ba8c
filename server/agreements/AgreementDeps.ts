import type { AuditTrail } from '../audit/index.js';
import type { SigningKeys } from '../documents/index.js';
import type { AgreementStore } from './AgreementStore.js';

/** What a session's agreement slice needs from the node. */
export type AgreementDeps = {
  store: AgreementStore;
  audit: AuditTrail;
  keys: SigningKeys;
  /** Base URL printed (and QR-coded) on documents: `${publicUrl()}/verify`. */
  publicUrl: () => string;
  /**
   * The SHA-256 of the session's recording manifest, bound into the agreement
   * at finalize. The recorder fills this in; undefined until it exists.
   */
  recordingManifestSha256?: ((sessionId: string) => Promise<string | undefined>) | undefined;
};
