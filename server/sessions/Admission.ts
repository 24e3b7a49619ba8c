import {
  type AdmittedState,
  CourtLinkError,
  canHostType,
  type EventActor,
  type InviteClaims,
  jointRoom,
  type Role,
  type SelfTest,
  type WaitingState,
} from '../../signaling/index.js';
import type { PeerChannel } from './PeerChannel.js';
import { graceDeadline, type SessionContext } from './SessionContext.js';
import { newId, type SeatRecord } from './SessionStore.js';

/**
 * Seats and the waiting room: invitations, joining, admitting, denying,
 * leaving, and what happens when a connection drops (a grace period kept as a
 * persisted deadline, so it runs out even across a restart).
 */
export class Admission {
  constructor(private readonly ctx: SessionContext) {}

  async addSeat(
    actor: EventActor,
    input: { role: Role; displayName: string; side?: 'applicant' | 'respondent' | undefined },
  ): Promise<SeatRecord> {
    const { core } = this.ctx;
    if (core.record.status === 'ended') throw new CourtLinkError('SESSION_ENDED');
    const host = canHostType(input.role, core.record.type) && !core.record.hostSeatId;
    const seat: SeatRecord = {
      seatId: newId(),
      role: input.role,
      displayName: input.displayName,
      host,
      state: 'invited',
      createdAt: new Date().toISOString(),
      location: jointRoom,
      ...(input.side ? { side: input.side } : {}),
      // A visit's family member waits for the officer's approval before their link works (issue 12).
      ...(core.record.type === 'visit' && input.role === 'family' ? { approved: false } : {}),
    };
    await core.commit(
      actor,
      'seat.invited',
      { seatId: seat.seatId, role: seat.role, displayName: seat.displayName, host },
      { seats: [seat], ...(host ? { record: { hostSeatId: seat.seatId } } : {}) },
    );
    return seat;
  }

  async join(claims: InviteClaims, channel: PeerChannel, selfTest: SelfTest | undefined): Promise<AdmittedState | WaitingState> {
    const { core, view, media, graceMs } = this.ctx;
    const seat = this.joiningSeat(claims);
    const { droppedHere, replaced } = await this.takeOver(seat.seatId, channel);
    // Another tab or device took the seat: the old one is told why it closes.
    replaced?.notify('session:replaced', {});
    replaced?.close();
    // The returning client builds fresh transports; the old ones would only linger.
    await media.resetPeer(seat.seatId);

    const withinGrace = seat.lastSeenAt !== undefined && Date.now() - seat.lastSeenAt <= graceMs;
    const returning = seat.state === 'admitted' && (replaced !== undefined || withinGrace);
    const autoAdmitted = !core.record.locked && (core.record.autoAdmitRoles as Role[]).includes(seat.role);
    // 流动法庭: court staff answering the mediator's open call join directly, locked or not.
    const answeringCourtCall = seat.role === 'court_staff' && core.policyState().courtCallOpen === true;
    const me = { seatId: seat.seatId, role: seat.role } as const;
    const actor: EventActor = { kind: 'seat', ...me };

    if (core.isHost(seat.seatId) || returning || autoAdmitted || answeringCourtCall) {
      const updated = core.seatWith(seat.seatId, { state: 'admitted', lastSeenAt: Date.now(), ...(selfTest ? { selfTest } : {}) });
      const how = !returning ? 'auto' : replaced || droppedHere ? 'returned' : 'resumed';
      await core.commit(actor, 'seat.admitted', { seatId: seat.seatId, how }, { seats: [updated] });
      await this.markStarted(actor);
      this.ctx.log.info({ seatId: seat.seatId, role: seat.role, resumed: returning }, 'admitted');
      return view.admittedState(updated, returning, media.activeSpeakerFor(updated.location));
    }

    // Locked or not, a newcomer waits where the host can see them.
    const updated = core.seatWith(seat.seatId, { state: 'waiting', ...(selfTest ? { selfTest } : {}) });
    await core.commit(actor, 'seat.waiting', { seatId: seat.seatId, ...(selfTest ? { selfTest } : {}) }, { seats: [updated] });
    this.ctx.log.info({ seatId: seat.seatId, role: seat.role }, 'waiting');
    return view.waitingState(updated);
  }

  /**
   * The same person's client takes over its seat with a fresh socket while its media is still up (session:resume):
   * the old socket had stalled in TCP back-off (bench S4: about 9 s after a 30 kbit/s spell) or dropped. Nothing
   * is rebuilt; the old socket is closed without "replaced", since it is this client's own. Only an admitted seat
   * whose transports are still on the server can resume; otherwise the client joins afresh.
   */
  async resume(claims: InviteClaims, channel: PeerChannel): Promise<{ state: AdmittedState; consumerIds: string[] }> {
    const { core, presence, view, media } = this.ctx;
    const seat = this.joiningSeat(claims);
    if (seat.state !== 'admitted' || !(await media.hasLiveMedia(seat.seatId)))
      throw new CourtLinkError('CONFLICT', 'There is no connection to resume; join again.');
    const wasConnected = presence.connected(seat.seatId);
    // The stalled socket is this client's own: closed without "replaced".
    (await this.takeOver(seat.seatId, channel)).replaced?.close();
    const updated = core.seatWith(seat.seatId, { lastSeenAt: Date.now() });
    // Back after a drop the others were told about: told again, as a return. A stalled socket replaced in place was never gone.
    if (!wasConnected)
      await core.commit(
        { kind: 'seat', seatId: seat.seatId, role: seat.role },
        'seat.admitted',
        { seatId: seat.seatId, how: 'returned' },
        { seats: [updated] },
      );
    this.ctx.log.info({ seatId: seat.seatId, role: seat.role, dropped: !wasConnected }, 'signalling resumed');
    const consumerIds = await media.resumed(seat.seatId);
    return { state: view.admittedState(updated, true, media.activeSpeakerFor(updated.location)), consumerIds };
  }

  /** The seat an invite token names, if that token's role still matches and the policy lets it join. */
  private joiningSeat(claims: InviteClaims): SeatRecord {
    const seat = this.ctx.core.seats.get(claims.seatId);
    if (!seat || seat.role !== claims.role) throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid for this session.');
    this.ctx.core.authorize(seat.seatId, 'join');
    return seat;
  }

  /** Puts the channel on the seat and stops its grace period; says whether it had dropped here and what it replaced. */
  private async takeOver(seatId: string, channel: PeerChannel): Promise<{ droppedHere: boolean; replaced: PeerChannel | undefined }> {
    const { core, presence, deadlines } = this.ctx;
    const droppedHere = presence.takeDropped(seatId);
    const replaced = presence.attach(seatId, channel);
    await deadlines.cancel(graceDeadline.kind, graceDeadline.key(core.id, seatId));
    return { droppedHere, replaced };
  }

  async admit(actorSeatId: string, target: string): Promise<void> {
    const { core, presence } = this.ctx;
    core.authorize(actorSeatId, 'admit', target);
    const seat = core.seats.get(target);
    if (seat?.state !== 'waiting' || !presence.connected(target))
      throw new CourtLinkError('CONFLICT', 'That person is not in the waiting room.');
    const actor = core.eventActor(actorSeatId);
    await core.commit(
      actor,
      'seat.admitted',
      { seatId: target, how: 'host' },
      { seats: [core.seatWith(target, { state: 'admitted', lastSeenAt: Date.now() })] },
    );
    await this.markStarted(actor);
  }

  /** Refuses a waiting person, or withdraws an invite; that link never opens the session again. */
  async deny(actorSeatId: string, target: string): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'admit', target);
    const seat = core.seats.get(target);
    if (!seat || !['waiting', 'invited', 'left'].includes(seat.state))
      throw new CourtLinkError('CONFLICT', 'Only people not yet admitted can be denied.');
    await core.commit(
      core.eventActor(actorSeatId),
      'seat.denied',
      { seatId: target },
      { seats: [core.seatWith(target, { state: 'denied' })] },
    );
    await this.release(target);
  }

  async leave(seatId: string): Promise<void> {
    const { core, presence } = this.ctx;
    core.authorize(seatId, 'leave');
    const seat = core.seats.get(seatId);
    const channel = presence.channel(seatId);
    if (seat && (seat.state === 'admitted' || seat.state === 'waiting')) {
      await core.commit(
        core.eventActor(seatId),
        'seat.left',
        { seatId, from: seat.state },
        { seats: [core.seatWith(seatId, { state: 'left' })] },
      );
    }
    await this.release(seatId);
    channel?.close();
  }

  /** The socket went away. The seat is kept for the grace period; after that it is released. */
  async disconnect(seatId: string, channel: PeerChannel): Promise<void> {
    const { core, presence, deadlines, graceMs } = this.ctx;
    const seat = core.seats.get(seatId);
    if (!seat || !presence.detach(seatId, channel)) return;
    if (seat.state === 'admitted' || seat.state === 'waiting') {
      await core.commit(
        core.eventActor(seatId),
        'seat.disconnected',
        { seatId },
        { seats: [core.seatWith(seatId, { lastSeenAt: Date.now() })] },
      );
      await deadlines.schedule(graceDeadline.kind, graceDeadline.key(core.id, seatId), Date.now() + graceMs);
    }
  }

  /** The grace deadline fired: release the seat unless its person came back. */
  async expire(seatId: string): Promise<void> {
    const { core, presence } = this.ctx;
    const seat = core.seats.get(seatId);
    if (!seat || presence.connected(seatId) || (seat.state !== 'admitted' && seat.state !== 'waiting')) return;
    await core.commit(
      { kind: 'system', reason: 'grace-expired' },
      'seat.expired',
      { seatId, from: seat.state },
      { seats: [core.seatWith(seatId, { state: 'left' })] },
    );
    await this.ctx.media.removePeer(seatId);
    this.ctx.log.info({ seatId }, 'seat released after grace period');
  }

  /** Takes a seat's connection and media away after it was denied, removed or left. */
  async release(seatId: string): Promise<void> {
    const { core, presence, media, deadlines } = this.ctx;
    presence.detach(seatId);
    await deadlines.cancel(graceDeadline.kind, graceDeadline.key(core.id, seatId));
    await media.removePeer(seatId);
  }

  private async markStarted(actor: EventActor): Promise<void> {
    const { core } = this.ctx;
    if (core.record.status === 'scheduled')
      await core.commit(actor, 'session.started', {}, { record: { status: 'live', startedAt: new Date().toISOString() } });
  }
}
