import { readFileSync, writeFileSync } from 'node:fs';
import { verifyChain } from '../audit/index.js';

/** `courtlink verify-audit <file>`: 0 and the head hash when the chain holds; 1 naming the first broken entry. */
export function verifyAuditFile(file: string, out: (line: string) => void): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const verdict = verifyChain(text.split('\n'));
  if (verdict.ok) {
    out(`ok: ${verdict.entries} entries, chain intact`);
    out(`head ${verdict.head}`);
    return 0;
  }
  out(`BROKEN at entry seq ${verdict.brokenAt} (line ${verdict.line}): ${verdict.reason}`);
  return 1;
}

/** Writes the exported JSONL to a file the operator named, or to standard output. */
export function writeAuditExport(jsonl: string, outFile: string | undefined, out: (line: string) => void): void {
  if (outFile) {
    writeFileSync(outFile, jsonl, { mode: 0o600 });
    out(`wrote ${jsonl.split('\n').filter(Boolean).length} entries to ${outFile}`);
  } else process.stdout.write(jsonl);
}
