import { EventEmitter } from 'node:events';
import type { DomainEvent, EventActor, Role, SessionType } from '../../signaling/index.js';
import { CourtLinkError } from '../../signaling/index.js';
import { LiveSession, type LiveSessionDeps } from './LiveSession.js';
import { graceDeadline } from './SessionContext.js';
import { newId, type SeatRecord, type SessionRecord } from './SessionStore.js';

export type NewSession = {
  type: SessionType;
  title: string;
  scheduledAt?: string | undefined;
  orgId?: string | undefined;
  caseId?: string | undefined;
  siteId?: string | undefined;
  grantedAccountIds?: string[] | undefined;
  grantedOrgIds?: string[] | undefined;
};

/**
 * Finds, loads and creates sessions. A session is loaded from Redis once per
 * node and then kept live. Every live session's domain events are relayed on
 * `events`, for subscribers that follow all sessions (the ledger, the recorder).
 */
export class SessionDirectory {
  private readonly live = new Map<string, Promise<LiveSession | undefined>>();
  private readonly heartbeat: NodeJS.Timeout;
  readonly events = new EventEmitter<{ event: [DomainEvent, LiveSession] }>();

  constructor(private readonly deps: LiveSessionDeps) {
    // A third of the grace period: a crash loses at most that much of anyone's claim to their seat.
    this.heartbeat = setInterval(() => void this.beat(), Math.max(1000, Math.floor(deps.graceMs / 3)));
    this.heartbeat.unref();
    deps.deadlines.on(graceDeadline.kind, async (key) => {
      const [sessionId, seatId] = key.split(':');
      const session = sessionId ? await this.get(sessionId) : undefined;
      if (session && seatId) await session.expire(seatId);
    });
  }

  private async beat(): Promise<void> {
    for (const loading of this.live.values()) {
      const session = await loading.catch(() => undefined);
      if (session && session.connectedCount > 0)
        await session.heartbeat().catch((err: Error) => this.deps.log.warn({ err: err.message }, 'heartbeat failed'));
    }
  }

  async create(input: NewSession, actor: EventActor): Promise<SessionRecord> {
    const record: SessionRecord = {
      id: newId(),
      type: input.type,
      title: input.title,
      status: 'scheduled',
      locked: false,
      autoAdmitRoles: [],
      recording: false,
      caucuses: [],
      createdAt: new Date().toISOString(),
      ...(input.scheduledAt ? { scheduledAt: input.scheduledAt } : {}),
      ...(input.orgId ? { orgId: input.orgId } : {}),
      ...(input.caseId ? { caseId: input.caseId } : {}),
      ...(input.siteId ? { siteId: input.siteId } : {}),
      ...(input.grantedAccountIds?.length ? { grantedAccountIds: input.grantedAccountIds } : {}),
      ...(input.grantedOrgIds?.length ? { grantedOrgIds: input.grantedOrgIds } : {}),
    };
    const session = LiveSession.create(record, actor, this.deps, (s) => this.relay(s));
    this.live.set(record.id, session);
    await session.catch((err) => {
      this.live.delete(record.id);
      throw err;
    });
    return record;
  }

  get(id: string): Promise<LiveSession | undefined> {
    let loading = this.live.get(id);
    if (!loading) {
      loading = LiveSession.load(id, this.deps, (s) => this.relay(s));
      this.live.set(id, loading);
      // A missing or failed load is not cached: the session may be created later, or Redis may come back.
      loading.then(
        (session) => session || this.live.delete(id),
        () => this.live.delete(id),
      );
    }
    return loading;
  }

  private relay(session: LiveSession): void {
    session.core.on('event', (event) => this.events.emit('event', event, session));
  }

  async require(id: string): Promise<LiveSession> {
    const session = await this.get(id);
    if (!session) throw new CourtLinkError('NOT_FOUND', 'No such session.');
    return session;
  }

  async invite(
    sessionId: string,
    actor: EventActor,
    input: { role: Role; displayName: string; side?: 'applicant' | 'respondent' | undefined },
  ): Promise<SeatRecord> {
    return (await this.require(sessionId)).addSeat(actor, input);
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
