import {
  type AdmittedState,
  type AgreementView,
  CourtLinkError,
  type DocumentInfo,
  type EventActor,
  type InviteClaims,
  type Location,
  type Participant,
  type RequestOf,
  type Role,
  type SelfTest,
  type WaitingState,
} from '../../signaling/index.js';
import { type AgreementDeps, AgreementDrafting } from '../agreements/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { DeadlineService } from '../deadlines/index.js';
import type { Logger } from '../log/index.js';
import type { WorkerPool } from '../media/index.js';
import { Admission } from './Admission.js';
import { CaucusRooms } from './CaucusRooms.js';
import { Chat } from './Chat.js';
import { HostControls } from './HostControls.js';
import { attachNotifier } from './Notifier.js';
import type { PeerChannel } from './PeerChannel.js';
import { Presence } from './Presence.js';
import { type RecorderDeps, RecordingControl } from './RecordingControl.js';
import { SerialQueue } from './SerialQueue.js';
import { graceDeadline, type SessionContext } from './SessionContext.js';
import { SessionCore } from './SessionCore.js';
import { SessionMedia } from './SessionMedia.js';
import type { SeatRecord, SessionRecord, SessionStore } from './SessionStore.js';
import { SessionView } from './SessionView.js';
import { VisitControls, type VisitPlan } from './VisitControls.js';

export type LiveSessionDeps = {
  store: SessionStore;
  audit: AuditTrail;
  deadlines: DeadlineService;
  pool: WorkerPool;
  graceMs: number;
  log: Logger;
  /** Agreements and judicial confirmation; absent, those requests answer UNAVAILABLE. */
  agreements?: AgreementDeps | undefined;
  /** The recorder's per-process parts (issue 9); without them record:start answers UNAVAILABLE. */
  recorder?: RecorderDeps | undefined;
};

/**
 * One session as this node runs it. State changes are domain events committed
 * through SessionCore; the features (admission, host controls, chat, caucus)
 * are slices around it, and every request goes through one queue so racing
 * joins, admits and moves apply in order.
 */
export class LiveSession {
  readonly queue = new SerialQueue();
  readonly core: SessionCore;
  readonly media: SessionMedia;
  readonly view: SessionView;
  private readonly presence: Presence;
  private readonly admission: Admission;
  private readonly host: HostControls;
  private readonly chatRoom: Chat;
  private readonly caucus: CaucusRooms;
  readonly agreement: AgreementDrafting;
  readonly recording: RecordingControl;
  private readonly visit: VisitControls;

  private constructor(record: SessionRecord, seats: Map<string, SeatRecord>, deps: LiveSessionDeps) {
    const log = deps.log.child({ sessionId: record.id });
    this.core = new SessionCore(record, seats, deps.store, deps.audit);
    this.presence = new Presence(record.id, seats, deps.store);
    this.view = new SessionView(this.core, this.presence);
    const locationOf = (seatId: string) => this.core.seats.get(seatId)?.location ?? 'joint';
    this.media = new SessionMedia(
      record.id,
      deps.pool,
      {
        channelOf: (seatId) => this.presence.channel(seatId),
        locationOf,
        onSpeaker: (seatId, location) =>
          this.presence.notifyWhere((s) => s.state === 'admitted' && s.location === location, 'speaker:active', { seatId }),
        onProducer: () => this.recording.producerAdded(),
      },
      log,
    );
    const ctx: SessionContext = {
      core: this.core,
      presence: this.presence,
      view: this.view,
      media: this.media,
      deadlines: deps.deadlines,
      graceMs: deps.graceMs,
      log,
    };
    this.admission = new Admission(ctx);
    this.host = new HostControls(ctx, this.admission);
    this.chatRoom = new Chat(ctx);
    this.caucus = new CaucusRooms(ctx);
    this.agreement = new AgreementDrafting(ctx, deps.agreements);
    this.recording = new RecordingControl(ctx, deps.recorder, (task) => this.queue.run(task));
    this.visit = new VisitControls(ctx);
    attachNotifier(this.core, this.presence, this.view, (location) => this.media.activeSpeakerFor(location));
  }

  /** Loads a session. If this node stopped without suspending it (a crash), records the recovery and restarts the grace clocks. */
  static async load(id: string, deps: LiveSessionDeps, subscribe: (s: LiveSession) => void = () => {}): Promise<LiveSession | undefined> {
    const record = await deps.store.getSession(id);
    if (!record) return undefined;
    const session = new LiveSession(record, await deps.store.getSeats(id), deps);
    subscribe(session);
    await session.agreement.restore();
    await session.queue.run(() => session.recover(deps));
    return session;
  }

  static async create(
    record: SessionRecord,
    actor: EventActor,
    deps: LiveSessionDeps,
    subscribe: (s: LiveSession) => void = () => {},
  ): Promise<LiveSession> {
    const session = new LiveSession(record, new Map(), deps);
    subscribe(session);
    const data = { type: record.type, ...(record.scheduledAt ? { scheduledAt: record.scheduledAt } : {}) };
    await session.core.commit(actor, 'session.created', data, { writes: deps.store.creationWrites(record) });
    return session;
  }

  private async recover(deps: LiveSessionDeps): Promise<void> {
    await this.recording.recover();
    if (this.core.record.status === 'ended') return;
    const present = [...this.core.seats.values()].filter((s) => s.state === 'admitted' || s.state === 'waiting');
    for (const seat of present) {
      const due = (seat.lastSeenAt ?? Date.now()) + deps.graceMs;
      await deps.deadlines.scheduleIfAbsent(graceDeadline.kind, graceDeadline.key(this.id, seat.seatId), due);
    }
    const head = await deps.audit.head(this.id);
    const admitted = present.filter((s) => s.state === 'admitted').length;
    if (this.core.record.status === 'live' && admitted > 0 && head.type !== 'session.suspended') {
      await this.core.commit({ kind: 'system', reason: 'crash-recovery' }, 'session.recovered', { admittedSeats: admitted });
    }
  }

  get id(): string {
    return this.core.id;
  }

  get summary(): SessionRecord {
    return this.core.record;
  }

  get connectedCount(): number {
    return this.presence.count;
  }

  seatList(): SeatRecord[] {
    return [...this.core.seats.values()];
  }

  participant(seat: SeatRecord): Participant {
    return this.view.participant(seat);
  }

  /** Admitted and connected through this node. */
  isAdmitted(seatId: string): boolean {
    return this.core.seats.get(seatId)?.state === 'admitted' && this.presence.connected(seatId);
  }

  // ---- requests, each through the session's queue --------------------------------------

  addSeat(
    actor: EventActor,
    input: { role: Role; displayName: string; side?: 'applicant' | 'respondent' | undefined },
  ): Promise<SeatRecord> {
    return this.queue.run(() => this.admission.addSeat(actor, input));
  }

  join(claims: InviteClaims, channel: PeerChannel, selfTest: SelfTest | undefined): Promise<AdmittedState | WaitingState> {
    return this.queue.run(() => this.admission.join(claims, channel, selfTest));
  }

  resume(claims: InviteClaims, channel: PeerChannel): Promise<{ state: AdmittedState; consumerIds: string[] }> {
    return this.queue.run(() => this.admission.resume(claims, channel));
  }

  disconnect(seatId: string, channel: PeerChannel): Promise<void> {
    return this.queue.run(() => this.admission.disconnect(seatId, channel));
  }

  expire(seatId: string): Promise<void> {
    return this.queue.run(() => this.admission.expire(seatId));
  }

  leave(seatId: string): Promise<void> {
    return this.queue.run(() => this.admission.leave(seatId));
  }

  admit(actor: string, target: string): Promise<void> {
    return this.queue.run(() => this.admission.admit(actor, target));
  }

  deny(actor: string, target: string): Promise<void> {
    return this.queue.run(() => this.admission.deny(actor, target));
  }

  raiseHand(seatId: string, { raised }: RequestOf<'session:raiseHand'>): Promise<void> {
    return this.queue.run(async () => {
      this.core.authorize(seatId, 'raise_hand');
      this.presence.setHand(seatId, raised);
      await this.core.commit(this.core.eventActor(seatId), 'seat.handRaised', { seatId, raised });
    });
  }

  chat(from: string, payload: RequestOf<'chat:send'>): Promise<void> {
    return this.queue.run(() => this.chatRoom.send(from, payload));
  }

  remove(actor: string, target: string): Promise<void> {
    return this.queue.run(() => this.host.remove(actor, target));
  }

  silence(actor: string, target: string, source: 'mic' | 'camera'): Promise<void> {
    return this.queue.run(() => this.host.silence(actor, target, source));
  }

  requestUnmute(actor: string, target: string): Promise<void> {
    return this.queue.run(() => this.host.requestUnmute(actor, target));
  }

  lock(actor: string, payload: RequestOf<'host:lock'>): Promise<void> {
    return this.queue.run(() => this.host.lock(actor, payload));
  }

  setAutoAdmit(actor: string, payload: RequestOf<'host:autoAdmit'>): Promise<void> {
    return this.queue.run(() => this.host.setAutoAdmit(actor, payload));
  }

  handover(actor: string, target: string): Promise<void> {
    return this.queue.run(() => this.host.handover(actor, target));
  }

  end(actor: EventActor, reason: 'host' | 'deadline' | 'admin'): Promise<void> {
    return this.queue.run(() => this.host.end(actor, reason));
  }

  openCaucus(actor: string, name: string): Promise<Location> {
    return this.queue.run(() => this.caucus.open(actor, name));
  }

  moveToRoom(actor: string, seatIds: string[], roomId: Location): Promise<void> {
    return this.queue.run(() => this.caucus.move(actor, seatIds, roomId));
  }

  closeCaucus(actor: string, roomId: Location): Promise<void> {
    return this.queue.run(() => this.caucus.close(actor, roomId));
  }

  returnAll(actor: string): Promise<void> {
    return this.queue.run(() => this.caucus.returnAll(actor));
  }

  // ---- the agreement and judicial confirmation (server/agreements) ----------------------

  agreementView(seatId: string): Promise<AgreementView> {
    return this.queue.run(async () => this.agreement.view(seatId));
  }

  editAgreement(seatId: string, payload: RequestOf<'agreement:edit'>): Promise<number> {
    return this.queue.run(() => this.agreement.edit(seatId, payload));
  }

  confirmClause(seatId: string, payload: RequestOf<'agreement:confirmClause'>): Promise<void> {
    return this.queue.run(() => this.agreement.confirmClause(seatId, payload));
  }

  signAgreement(seatId: string, payload: RequestOf<'agreement:sign'>, ip: string): Promise<void> {
    return this.queue.run(() => this.agreement.sign(seatId, payload, ip));
  }

  finalizeAgreement(seatId: string): Promise<DocumentInfo> {
    return this.queue.run(() => this.agreement.finalize(seatId));
  }

  callCourt(seatId: string): Promise<void> {
    return this.queue.run(() => this.agreement.callCourt(seatId));
  }

  decide(seatId: string, payload: RequestOf<'court:decide'>): Promise<DocumentInfo> {
    return this.queue.run(() => this.agreement.decide(seatId, payload));
  }

  /**
   * A court staff member answers the open call (REST): their seat on this
   * session, made once per staff account and reused after.
   */
  answerCourtCall(actor: EventActor, accountId: string, displayName: string): Promise<SeatRecord> {
    return this.queue.run(async () => {
      if (!this.core.policyState().courtCallOpen) throw new CourtLinkError('CONFLICT', 'This session has no open call to the court.');
      const known = this.agreement.courtSeatOf(accountId);
      const seat = known ? this.core.seats.get(known) : undefined;
      if (seat && seat.state !== 'denied' && seat.state !== 'removed') return seat;
      const created = await this.admission.addSeat(actor, { role: 'court_staff', displayName });
      await this.agreement.courtJoined(actor, accountId, created.seatId);
      return created;
    });
  }

  // ---- recording (issue 9) ----------------------------------------------------------

  startRecording(actor: string): Promise<string> {
    return this.queue.run(() => this.recording.start(actor));
  }

  /** The stop is decided in the queue; the files are finalized outside it and after the answer, so nobody waits for them. */
  async stopRecording(actor: string): Promise<{ recordingId: string }> {
    const { recordingId } = await this.queue.run(async () => this.recording.stop(actor));
    return { recordingId };
  }

  setCaucusRecording(actor: string, { roomId, recorded }: RequestOf<'caucus:setRecording'>): Promise<void> {
    return this.queue.run(() => this.recording.setCaucusRecorded(actor, roomId, recorded));
  }

  // ---- supervised visits (issue 12) ----------------------------------------------------

  approveFamily(actor: EventActor, seatId: string): Promise<void> {
    return this.queue.run(() => this.visit.approveFamily(actor, seatId));
  }

  startVisit(actor: EventActor, plan: VisitPlan): Promise<string> {
    return this.queue.run(() => this.visit.start(actor, plan));
  }

  visitWarning(secondsLeft: number): Promise<void> {
    return this.queue.run(() => this.visit.warn(secondsLeft));
  }

  allowVisitChat(actor: string, allowed: boolean): Promise<void> {
    return this.queue.run(() => this.visit.allowChat(actor, allowed));
  }

  // ---- node lifecycle ------------------------------------------------------------------

  /** Node shutdown: remember when everyone was last seen, so they skip the waiting room on return. */
  suspend(): Promise<void> {
    // Queued behind any disconnects the closing sockets just triggered.
    return this.queue.run(async () => {
      await this.presence.recordSeen().catch(() => undefined);
      if (this.core.record.status === 'live')
        await this.core.commit({ kind: 'system', reason: 'shutdown' }, 'session.suspended', { reason: 'shutdown' }).catch(() => undefined);
      this.presence.closeAll();
      await this.recording.shutdown();
      await this.media.close();
    });
  }

  /** Writes "seen now" for everyone connected; run periodically so a crash loses little. */
  heartbeat(): Promise<void> {
    return this.queue.run(() => this.presence.recordSeen());
  }
}
