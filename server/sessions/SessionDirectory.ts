import type { Role, SessionType } from '../../signaling/index.js';
import { CourtLinkError } from '../../signaling/index.js';
import { LiveSession, type LiveSessionDeps } from './LiveSession.js';
import { newId, type SeatRecord, type SessionRecord } from './SessionStore.js';

/** Finds, loads and creates sessions. A session is loaded from Redis once per node and then kept live. */
export class SessionDirectory {
  private readonly live = new Map<string, Promise<LiveSession | undefined>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: LiveSessionDeps) {
    // A third of the grace period: a crash loses at most that much of anyone's claim to their seat.
    this.heartbeat = setInterval(() => void this.beat(), Math.max(1000, Math.floor(deps.graceMs / 3)));
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    for (const loading of this.live.values()) {
      const session = await loading.catch(() => undefined);
      if (session && session.connectedCount > 0)
        await session.heartbeat().catch((err: Error) => this.deps.log.warn({ err: err.message }, 'heartbeat failed'));
    }
  }

  async create(input: {
    type: SessionType;
    title: string;
    scheduledAt?: string | undefined;
    orgId?: string | undefined;
    caseId?: string | undefined;
    siteId?: string | undefined;
    grantedAccountIds?: string[] | undefined;
    grantedOrgIds?: string[] | undefined;
  }): Promise<SessionRecord> {
    const record: SessionRecord = {
      id: newId(),
      type: input.type,
      title: input.title,
      status: 'scheduled',
      locked: false,
      autoAdmitRoles: [],
      recording: false,
      createdAt: new Date().toISOString(),
      ...(input.scheduledAt ? { scheduledAt: input.scheduledAt } : {}),
      ...(input.orgId ? { orgId: input.orgId } : {}),
      ...(input.caseId ? { caseId: input.caseId } : {}),
      ...(input.siteId ? { siteId: input.siteId } : {}),
      ...(input.grantedAccountIds?.length ? { grantedAccountIds: input.grantedAccountIds } : {}),
      ...(input.grantedOrgIds?.length ? { grantedOrgIds: input.grantedOrgIds } : {}),
    };
    await this.deps.store.createSession(record);
    return record;
  }

  get(id: string): Promise<LiveSession | undefined> {
    let loading = this.live.get(id);
    if (!loading) {
      loading = LiveSession.load(id, this.deps);
      this.live.set(id, loading);
      // A missing or failed load is not cached: the session may be created later, or Redis may come back.
      loading.then(
        (session) => session || this.live.delete(id),
        () => this.live.delete(id),
      );
    }
    return loading;
  }

  async require(id: string): Promise<LiveSession> {
    const session = await this.get(id);
    if (!session) throw new CourtLinkError('NOT_FOUND', 'No such session.');
    return session;
  }

  async invite(sessionId: string, input: { role: Role; displayName: string }): Promise<SeatRecord> {
    return (await this.require(sessionId)).addSeat(input);
  }

  async list(limit: number): Promise<SessionRecord[]> {
    const ids = await this.deps.store.recentSessionIds(limit);
    const records = await Promise.all(ids.map((id) => this.get(id).then((s) => s?.summary)));
    return records.filter((r): r is SessionRecord => r !== undefined);
  }

  /** For metrics: sessions with media running here, and connected participants. */
  async counts(): Promise<{ sessions: number; peers: number }> {
    let sessions = 0;
    let peers = 0;
    for (const loading of this.live.values()) {
      const session = await loading.catch(() => undefined);
      if (!session) continue;
      if (session.media.hasRoom) sessions++;
      peers += session.connectedCount;
    }
    return { sessions, peers };
  }

  async suspendAll(): Promise<void> {
    clearInterval(this.heartbeat);
    const sessions = await Promise.all([...this.live.values()].map((l) => l.catch(() => undefined)));
    await Promise.all(sessions.map((s) => s?.suspend()));
    this.live.clear();
  }
}
