import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditTrail } from '../../server/audit/index.js';
import { createLogger } from '../../server/log/index.js';
import { producedBy } from '../../server/records/ledgerSubscriber.js';
import { connectRedis, type Redis } from '../../server/store/index.js';

describe('the ledger reads what a session produced from its audit trail', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'), createLogger('silent'));
  });
  afterAll(() => redis.quit());

  it('collects recording, agreement and ruling ids, and derives the outcome', async () => {
    const audit = new AuditTrail(redis);
    const sessionId = `ledger${Date.now()}`;
    const system = { kind: 'system', reason: 'test' } as const;
    const at = new Date().toISOString();
    const append = (type: string, data: Record<string, unknown>) => audit.append({ type, sessionId, at, actor: system, data } as never, []);
    expect(await producedBy(audit, sessionId)).toEqual({ recordingIds: [], agreementIds: [], rulingIds: [] });
    await append('recording.started', { recordingId: 'rec_aaaaaaaaaaaaaaaaaaaa' });
    await append('recording.started', { recordingId: 'rec_bbbbbbbbbbbbbbbbbbbb' });
    await append('agreement.finalized', { documentId: 'doc1', sha256: 'a'.repeat(64), auditHead: 'b'.repeat(64) });
    expect(await producedBy(audit, sessionId)).toEqual({
      recordingIds: ['rec_aaaaaaaaaaaaaaaaaaaa', 'rec_bbbbbbbbbbbbbbbbbbbb'],
      agreementIds: ['doc1'],
      rulingIds: [],
      outcome: 'agreement_reached',
    });
    await append('court.decided', { confirmed: true, documentId: 'ruling1' });
    expect(await producedBy(audit, sessionId)).toMatchObject({ rulingIds: ['ruling1'], outcome: 'confirmed' });
  });
});
