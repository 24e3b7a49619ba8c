import type { Config } from '../config/index.js';
import { initDevelopmentCertificates } from '../documents/index.js';

/** `courtlink cert init [--force]`: the development CA and signing certificates under DATA_DIR/certs. */
export function runCertInit(config: Config, force: boolean, out: (line: string) => void): void {
  const dir = initDevelopmentCertificates(config.dataDir, { force });
  out(`development certificates in ${dir} (ca.crt, organisation.p12, court.p12; NOT for real documents)`);
  if (config.documents.organisationP12 || config.documents.courtP12)
    out('note: configured ORG_/COURT_SIGNING_P12 certificates take precedence');
}
