import {
  type AdmittedState,
  CourtLinkError,
  canHost,
  errorCatalogue,
  type InviteClaims,
  type NotificationName,
  type NotificationOf,
  type Participant,
  type RequestOf,
  type Role,
  type SelfTest,
  type WaitingState,
} from '../../signaling/index.js';
import type { Logger } from '../log/index.js';
import type { WorkerPool } from '../media/index.js';
import type { PeerChannel } from './PeerChannel.js';
import { SerialQueue } from './SerialQueue.js';
import { SessionMedia } from './SessionMedia.js';
import { newId, type SeatRecord, type SessionRecord, type SessionStore } from './SessionStore.js';

export type LiveSessionDeps = {
  store: SessionStore;
  pool: WorkerPool;
  graceMs: number;
  log: Logger;
};

/** A seat's presence on this node: its current socket, or a grace timer while it is away. */
type Presence = {
  channel: PeerChannel | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  handRaised: boolean;
};

/**
 * One session as this node runs it: the persisted record and seats, who is
 * connected, the waiting room, and the media. Every state change goes through
 * one queue, so racing joins, admits and leaves apply in order.
 */
export class LiveSession {
  readonly queue = new SerialQueue();
  readonly media: SessionMedia;
  private readonly presence = new Map<string, Presence>();
  private readonly log: Logger;
  private activeSpeaker: string | undefined;

  private constructor(
    private record: SessionRecord,
    private readonly seats: Map<string, SeatRecord>,
    private readonly deps: LiveSessionDeps,
  ) {
    this.log = deps.log.child({ sessionId: record.id });
    this.media = new SessionMedia(
      record.id,
      deps.pool,
      (seatId) => this.presence.get(seatId)?.channel,
      (seatId) => {
        this.activeSpeaker = seatId;
        this.broadcast('speaker:active', { seatId });
      },
      this.log,
    );
  }

  static async load(id: string, deps: LiveSessionDeps): Promise<LiveSession | undefined> {
    const record = await deps.store.getSession(id);
    if (!record) return undefined;
    return new LiveSession(record, await deps.store.getSeats(id), deps);
  }

  get id(): string {
    return this.record.id;
  }

  get summary(): SessionRecord {
    return this.record;
  }

  get connectedCount(): number {
    let n = 0;
    for (const p of this.presence.values()) if (p.channel) n++;
    return n;
  }

  seatList(): SeatRecord[] {
    return [...this.seats.values()];
  }

  isAdmitted(seatId: string): boolean {
    return this.seats.get(seatId)?.state === 'admitted' && this.presence.get(seatId)?.channel !== undefined;
  }

  /** Adds an invited seat. The first seat of a role that may host becomes the host. */
  addSeat(input: { role: Role; displayName: string }): Promise<SeatRecord> {
    return this.queue.run(async () => {
      if (this.record.status === 'ended') throw new CourtLinkError('SESSION_ENDED');
      const host = canHost(input.role) && !this.record.hostSeatId;
      const seat: SeatRecord = {
        seatId: newId(),
        role: input.role,
        displayName: input.displayName,
        host,
        state: 'invited',
        createdAt: new Date().toISOString(),
      };
      this.seats.set(seat.seatId, seat);
      await this.deps.store.saveSeat(this.id, seat);
      if (host) await this.updateRecord({ hostSeatId: seat.seatId });
      return seat;
    });
  }

  // ---- joining, leaving, dropping -------------------------------------------------

  join(claims: InviteClaims, channel: PeerChannel, selfTest: SelfTest | undefined): Promise<AdmittedState | WaitingState> {
    return this.queue.run(async () => {
      if (this.record.status === 'ended') throw new CourtLinkError('SESSION_ENDED');
      const seat = this.seats.get(claims.seatId);
      if (!seat || seat.role !== claims.role) throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid for this session.');
      if (seat.state === 'denied') throw new CourtLinkError('DENIED');
      if (seat.state === 'removed') throw new CourtLinkError('REMOVED');

      const existing = this.presence.get(seat.seatId);
      const stillHere = existing !== undefined;
      if (existing) {
        clearTimeout(existing.graceTimer);
        const previous = existing.channel;
        existing.channel = channel;
        existing.graceTimer = undefined;
        if (previous && previous.id !== channel.id) {
          previous.notify('session:replaced', {});
          previous.close();
        }
        // The returning client builds fresh transports; the old ones would only linger.
        await this.media.resetPeer(seat.seatId);
      } else {
        this.presence.set(seat.seatId, { channel, graceTimer: undefined, handRaised: false });
      }
      if (selfTest) seat.selfTest = selfTest;

      const returning =
        seat.state === 'admitted' && (stillHere || (seat.lastSeenAt !== undefined && Date.now() - seat.lastSeenAt <= this.deps.graceMs));
      const autoAdmitted = !this.record.locked && (this.record.autoAdmitRoles as Role[]).includes(seat.role);
      if (seat.host || returning || autoAdmitted) {
        seat.state = 'admitted';
        seat.lastSeenAt = Date.now();
        await this.deps.store.saveSeat(this.id, seat);
        if (this.record.status === 'scheduled') await this.updateRecord({ status: 'live' });
        this.broadcast(returning && stillHere ? 'peer:updated' : 'peer:joined', this.participant(seat), seat.seatId);
        this.log.info({ seatId: seat.seatId, role: seat.role, resumed: returning }, 'admitted');
        return this.admittedState(seat, returning);
      }

      if (this.record.locked && seat.state !== 'waiting') {
        this.presence.delete(seat.seatId);
        throw new CourtLinkError('SESSION_LOCKED');
      }
      seat.state = 'waiting';
      await this.deps.store.saveSeat(this.id, seat);
      this.notifyWaitingChanged();
      this.log.info({ seatId: seat.seatId, role: seat.role }, 'waiting');
      return { state: 'waiting', session: this.record, you: this.participant(seat) };
    });
  }

  /** The socket went away. The seat is kept for the grace period; after that it is released. */
  disconnect(seatId: string, channel: PeerChannel): Promise<void> {
    return this.queue.run(async () => {
      const presence = this.presence.get(seatId);
      const seat = this.seats.get(seatId);
      if (!presence || !seat || presence.channel?.id !== channel.id) return;
      presence.channel = undefined;
      seat.lastSeenAt = Date.now();
      await this.deps.store.saveSeat(this.id, seat);
      if (seat.state === 'admitted') this.broadcast('peer:updated', this.participant(seat));
      else this.notifyWaitingChanged();
      presence.graceTimer = setTimeout(() => void this.queue.run(() => this.expire(seatId)), this.deps.graceMs);
      presence.graceTimer.unref();
    });
  }

  private async expire(seatId: string): Promise<void> {
    const presence = this.presence.get(seatId);
    if (!presence || presence.channel) return;
    const seat = this.seats.get(seatId);
    const wasAdmitted = seat?.state === 'admitted';
    await this.release(seatId, 'left');
    if (wasAdmitted) this.broadcast('peer:left', { seatId, reason: 'timeout' });
    else this.notifyWaitingChanged();
    this.log.info({ seatId }, 'seat released after grace period');
  }

  leave(seatId: string): Promise<void> {
    return this.queue.run(async () => {
      const channel = this.presence.get(seatId)?.channel;
      const wasAdmitted = this.seats.get(seatId)?.state === 'admitted';
      await this.release(seatId, 'left');
      if (wasAdmitted) this.broadcast('peer:left', { seatId, reason: 'left' });
      else this.notifyWaitingChanged();
      channel?.close();
    });
  }

  raiseHand(seatId: string, { raised }: RequestOf<'session:raiseHand'>): Promise<void> {
    return this.queue.run(async () => {
      const presence = this.presence.get(seatId);
      const seat = this.seats.get(seatId);
      if (!presence || !seat) throw new CourtLinkError('NOT_ADMITTED');
      presence.handRaised = raised;
      this.broadcast('peer:updated', this.participant(seat));
    });
  }

  /** Participants write to the hosts; hosts write to everyone, or to one person. */
  chat(from: string, { text, to }: RequestOf<'chat:send'>): Promise<void> {
    return this.queue.run(async () => {
      const sender = this.requireSeat(from);
      const senderHosts = this.canSeeWaiting(sender);
      if (to !== undefined && !senderHosts) throw new CourtLinkError('FORBIDDEN', 'Messages go to the host.');
      if (to !== undefined && this.seats.get(to)?.state !== 'admitted') throw new CourtLinkError('NOT_FOUND', 'No such participant.');
      const message = {
        from,
        fromName: sender.displayName,
        text,
        at: new Date().toISOString(),
        toHosts: !senderHosts,
        ...(to ? { to } : {}),
      };
      for (const [seatId, presence] of this.presence) {
        const seat = this.seats.get(seatId);
        if (!presence.channel || seat?.state !== 'admitted') continue;
        const addressed = senderHosts ? to === undefined || seatId === to || seatId === from : this.canSeeWaiting(seat) || seatId === from;
        if (addressed) presence.channel.notify('chat:message', message);
      }
    });
  }

  // ---- host actions ---------------------------------------------------------------

  admit(target: string): Promise<void> {
    return this.queue.run(async () => {
      const seat = this.requireSeat(target);
      const channel = this.presence.get(target)?.channel;
      if (seat.state !== 'waiting' || !channel) throw new CourtLinkError('CONFLICT', 'That person is not in the waiting room.');
      seat.state = 'admitted';
      seat.lastSeenAt = Date.now();
      await this.deps.store.saveSeat(this.id, seat);
      if (this.record.status === 'scheduled') await this.updateRecord({ status: 'live' });
      channel.notify('session:admitted', this.admittedState(seat, false));
      this.broadcast('peer:joined', this.participant(seat), target);
      this.notifyWaitingChanged();
    });
  }

  /** Refuses a waiting person, or withdraws an invite; that link never opens the session again. */
  deny(target: string): Promise<void> {
    return this.queue.run(async () => {
      const seat = this.requireSeat(target);
      if (!['waiting', 'invited', 'left'].includes(seat.state))
        throw new CourtLinkError('CONFLICT', 'Only people not yet admitted can be denied.');
      const channel = this.presence.get(target)?.channel;
      await this.release(target, 'denied');
      channel?.notify('session:denied', { code: 'DENIED', message: errorCatalogue.DENIED.message });
      channel?.close();
      this.notifyWaitingChanged();
    });
  }

  remove(actor: string, target: string): Promise<void> {
    return this.queue.run(async () => {
      const seat = this.requireSeat(target);
      if (target === actor || seat.host) throw new CourtLinkError('FORBIDDEN', 'The host and yourself cannot be removed.');
      if (seat.state === 'removed' || seat.state === 'denied') throw new CourtLinkError('CONFLICT', 'That person is already out.');
      const channel = this.presence.get(target)?.channel;
      const wasAdmitted = seat.state === 'admitted';
      await this.release(target, 'removed');
      channel?.notify('session:removed', { code: 'REMOVED', message: errorCatalogue.REMOVED.message });
      channel?.close();
      if (wasAdmitted) this.broadcast('peer:left', { seatId: target, reason: 'removed' });
      else this.notifyWaitingChanged();
    });
  }

  /** Host mute or stop-video: the server pauses the producer, so it holds even against a modified client. */
  silence(target: string, source: 'mic' | 'camera'): Promise<void> {
    return this.queue.run(async () => {
      const seat = this.requireSeat(target);
      if (seat.state !== 'admitted') throw new CourtLinkError('CONFLICT', 'That person is not in the session.');
      if (await this.media.pauseSource(target, source)) this.presence.get(target)?.channel?.notify('you:muted', { source });
    });
  }

  requestUnmute(target: string): Promise<void> {
    return this.queue.run(async () => {
      const seat = this.requireSeat(target);
      const channel = this.presence.get(target)?.channel;
      if (seat.state !== 'admitted' || !channel) throw new CourtLinkError('CONFLICT', 'That person is not connected.');
      channel.notify('you:unmuteRequested', {});
    });
  }

  lock({ locked }: RequestOf<'host:lock'>): Promise<void> {
    return this.queue.run(async () => {
      await this.updateRecord({ locked });
      this.broadcastSessionUpdated();
    });
  }

  setAutoAdmit({ roles }: RequestOf<'host:autoAdmit'>): Promise<void> {
    return this.queue.run(async () => {
      await this.updateRecord({ autoAdmitRoles: [...new Set(roles)] });
      this.broadcastSessionUpdated();
    });
  }

  /** Ends the session for everyone, waiting or admitted. No link opens it again. */
  end(): Promise<void> {
    return this.queue.run(async () => {
      if (this.record.status === 'ended') return;
      await this.updateRecord({ status: 'ended' });
      for (const [seatId, presence] of this.presence) {
        clearTimeout(presence.graceTimer);
        presence.channel?.notify('session:ended', { code: 'SESSION_ENDED', message: errorCatalogue.SESSION_ENDED.message });
        presence.channel?.close();
        this.presence.delete(seatId);
      }
      await this.media.close();
      this.log.info('session ended');
    });
  }

  /** Node shutdown: remember when everyone was last seen so they skip the waiting room on return. */
  suspend(): Promise<void> {
    // Queued behind any disconnects the closing sockets just triggered.
    return this.queue.run(() => this.suspendNow());
  }

  private async suspendNow(): Promise<void> {
    for (const presence of this.presence.values()) clearTimeout(presence.graceTimer);
    await this.recordPresence().catch(() => undefined);
    this.presence.clear();
    await this.media.close();
  }

  /**
   * Writes "seen now" for everyone connected. Run periodically, so that after a
   * crash (no graceful suspend) people seen within the grace period still come
   * straight back in.
   */
  heartbeat(): Promise<void> {
    return this.queue.run(() => this.recordPresence());
  }

  private async recordPresence(): Promise<void> {
    const now = Date.now();
    const touched: SeatRecord[] = [];
    for (const [seatId, presence] of this.presence) {
      const seat = this.seats.get(seatId);
      if (seat && presence.channel) {
        seat.lastSeenAt = now;
        touched.push(seat);
      }
    }
    await this.deps.store.saveSeats(this.id, touched);
  }

  // ---- helpers ---------------------------------------------------------------------

  private requireSeat(seatId: string): SeatRecord {
    const seat = this.seats.get(seatId);
    if (!seat) throw new CourtLinkError('NOT_FOUND', 'No such participant in this session.');
    return seat;
  }

  private async release(seatId: string, state: 'left' | 'denied' | 'removed'): Promise<void> {
    const presence = this.presence.get(seatId);
    clearTimeout(presence?.graceTimer);
    this.presence.delete(seatId);
    const seat = this.seats.get(seatId);
    if (seat) {
      seat.state = state;
      await this.deps.store.saveSeat(this.id, seat);
    }
    await this.media.removePeer(seatId);
  }

  private async updateRecord(change: Partial<SessionRecord>): Promise<void> {
    this.record = { ...this.record, ...change };
    await this.deps.store.saveSession(this.record);
  }

  participant(seat: SeatRecord): Participant {
    const presence = this.presence.get(seat.seatId);
    return {
      seatId: seat.seatId,
      displayName: seat.displayName,
      role: seat.role,
      host: seat.host,
      state: seat.state,
      connected: presence?.channel !== undefined,
      ...(seat.selfTest ? { selfTest: seat.selfTest } : {}),
      handRaised: presence?.handRaised ?? false,
    };
  }

  private admittedState(seat: SeatRecord, resumed: boolean): AdmittedState {
    const participants = [...this.seats.values()]
      .filter((s) => s.state === 'admitted' && s.seatId !== seat.seatId && this.presence.has(s.seatId))
      .map((s) => this.participant(s));
    return {
      state: 'admitted',
      session: this.record,
      you: this.participant(seat),
      participants,
      waiting: this.canSeeWaiting(seat) ? this.waitingList() : [],
      resumed,
      ...(this.activeSpeaker ? { activeSpeaker: this.activeSpeaker } : {}),
    };
  }

  private waitingList(): Participant[] {
    return [...this.seats.values()]
      .filter((s) => s.state === 'waiting' && this.presence.get(s.seatId)?.channel)
      .map((s) => this.participant(s));
  }

  private canSeeWaiting(seat: SeatRecord): boolean {
    return seat.host || canHost(seat.role);
  }

  /** To every admitted, connected participant except `except`. */
  private broadcast<E extends NotificationName>(event: E, payload: NotificationOf<E>, except?: string): void {
    for (const [seatId, presence] of this.presence) {
      if (seatId === except || !presence.channel || this.seats.get(seatId)?.state !== 'admitted') continue;
      presence.channel.notify(event, payload);
    }
  }

  private notifyWaitingChanged(): void {
    const waiting = this.waitingList();
    for (const [seatId, presence] of this.presence) {
      const seat = this.seats.get(seatId);
      if (!presence.channel || seat?.state !== 'admitted' || !this.canSeeWaiting(seat)) continue;
      presence.channel.notify('waiting:updated', { waiting });
    }
  }

  private broadcastSessionUpdated(): void {
    this.broadcast('session:updated', this.record);
  }
}
