import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DocumentId, DocumentInfo, SessionId } from '../../signaling/index.js';
import type { StateWrite } from '../audit/index.js';
import type { Redis } from '../store/index.js';
import { AgreementRecord, emptyAgreement } from './AgreementRecord.js';

const keys = {
  agreement: (sessionId: string) => `cl:session:${sessionId}:agreement`,
  documents: 'cl:documents',
  courtCalls: 'cl:court:calls',
};

/**
 * Agreements in Redis and signed documents on disk, under
 * DATA_DIR/documents/<sessionId>/<documentId>.pdf. Both ids are made by the
 * server and checked against their patterns again here, so no path is ever
 * built from anything a client sent.
 */
export class AgreementStore {
  private readonly root: string;

  constructor(
    private readonly redis: Redis,
    dataDir: string,
  ) {
    this.root = join(resolve(dataDir), 'documents');
  }

  async load(sessionId: string): Promise<AgreementRecord> {
    const raw = await this.redis.get(keys.agreement(sessionId));
    return raw ? AgreementRecord.parse(JSON.parse(raw)) : emptyAgreement();
  }

  write(sessionId: string, record: AgreementRecord): StateWrite {
    return { op: 'set', key: keys.agreement(sessionId), value: JSON.stringify(record) };
  }

  documentWrite(info: DocumentInfo): StateWrite {
    return { op: 'hset', key: keys.documents, field: info.id, value: JSON.stringify(info) };
  }

  courtCallWrite(sessionId: string): StateWrite {
    return { op: 'zadd', key: keys.courtCalls, score: Date.now(), member: sessionId };
  }

  /** Sessions that ever called the court, newest first; the caller filters the open calls. */
  async calledSessions(limit = 200): Promise<{ sessionId: string; calledAt: string }[]> {
    const entries = await this.redis.zRangeWithScores(keys.courtCalls, 0, limit - 1, { REV: true });
    return entries.map((e) => ({ sessionId: e.value, calledAt: new Date(e.score).toISOString() }));
  }

  async documentInfo(documentId: string): Promise<DocumentInfo | undefined> {
    if (!DocumentId.safeParse(documentId).success) return undefined;
    const raw = await this.redis.hGet(keys.documents, documentId);
    return raw ? DocumentInfo.parse(JSON.parse(raw)) : undefined;
  }

  private path(info: Pick<DocumentInfo, 'id' | 'sessionId'>): string {
    const sessionId = SessionId.parse(info.sessionId);
    const id = DocumentId.parse(info.id);
    return join(this.root, sessionId, `${id}.pdf`);
  }

  async saveFile(info: Pick<DocumentInfo, 'id' | 'sessionId'>, pdf: Uint8Array): Promise<void> {
    const path = this.path(info);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    await writeFile(path, pdf, { mode: 0o600 });
  }

  readFile(info: DocumentInfo): Promise<Buffer> {
    return readFile(this.path(info));
  }
}
