import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { EventActor } from '../../signaling/index.js';

/** The hash before the first entry of every chain. */
export const genesisHash = '0'.repeat(64);

/** One line of a session's audit trail. `hash` is SHA-256 over the RFC 8785 canonical JSON of every other field. */
export const AuditEntry = z
  .object({
    seq: z.number().int().positive(),
    at: z.string(),
    sessionId: z.string(),
    actor: EventActor,
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;
export type UnsealedEntry = Omit<AuditEntry, 'hash'>;

export function hashEntry(entry: UnsealedEntry): string {
  const canonical = canonicalize({ ...entry });
  if (canonical === undefined) throw new Error('audit entry cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function seal(entry: UnsealedEntry): AuditEntry {
  return { ...entry, hash: hashEntry(entry) };
}

export type ChainVerdict = { ok: true; head: string; entries: number } | { ok: false; brokenAt: number; line: number; reason: string };

/**
 * Checks a chain in order: each line parses, its seq follows the previous one,
 * its prev is the previous hash, and its hash matches its contents.
 * `line` is 1-based, as an editor shows it.
 */
export function verifyChain(lines: readonly string[]): ChainVerdict {
  let prev = genesisHash;
  let expectedSeq = 1;
  let count = 0;
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    const line = index + 1;
    let entry: AuditEntry;
    try {
      entry = AuditEntry.parse(JSON.parse(text));
    } catch {
      return { ok: false, brokenAt: expectedSeq, line, reason: 'not a valid audit entry' };
    }
    if (entry.seq !== expectedSeq) return { ok: false, brokenAt: entry.seq, line, reason: `expected seq ${expectedSeq}` };
    if (entry.prev !== prev) return { ok: false, brokenAt: entry.seq, line, reason: 'prev does not match the previous entry’s hash' };
    const { hash, ...rest } = entry;
    if (hashEntry(rest) !== hash) return { ok: false, brokenAt: entry.seq, line, reason: 'hash does not match the entry’s contents' };
    prev = hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, head: prev, entries: count };
}
