import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { certificateDir, initDevelopmentCertificates } from '../../server/documents/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Development signing certificates made once per run; startTestServer copies them into each data dir. */
    certsDir: string;
  }
}

/** Making the development CA and signers costs 3–6 s of CPU: once per run, not once per server. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'courtlink-test-certs-'));
  initDevelopmentCertificates(dir);
  project.provide('certsDir', certificateDir(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
