import { CourtLinkError, type EventActor } from '../../signaling/index.js';
import type { SessionContext } from './SessionContext.js';

/** What the officer scheduled: how long the visit lasts, when to warn, and the latest time it may start. */
export type VisitPlan = { durationSeconds: number; warnAtSeconds: readonly number[]; startBy: string };

/** Persisted deadlines of a visit: its end, and the warnings before it (key: sessionId, or sessionId:secondsLeft). */
export const visitDeadlines = { end: 'visit-end', warn: 'visit-warn' } as const;

/**
 * A supervised visit (社区矫正远程视频会见, issue 12): the officer approves each
 * family member, starts the clock (the visit then ends by itself on a
 * persisted deadline, with warnings before), and turns chat on or off.
 * Mute and cut (remove) are the ordinary host controls.
 */
export class VisitControls {
  constructor(private readonly ctx: SessionContext) {
    const { core, presence } = ctx;
    const admitted = (s: { state: string }) => s.state === 'admitted';
    core.on('event', (event) => {
      if (event.type === 'visit.started' || event.type === 'visit.chatAllowed')
        presence.notifyWhere(admitted, 'session:updated', core.record);
      if (event.type === 'visit.warning') presence.notifyWhere(admitted, 'visit:warning', event.data);
      if (event.type === 'visit.familyApproved') {
        const seat = core.seats.get(event.data.seatId);
        if (seat) presence.notifyWhere(admitted, 'peer:updated', ctx.view.participant(seat));
      }
    });
  }

  private requireVisit(): void {
    if (this.ctx.core.record.type !== 'visit') throw new CourtLinkError('CONFLICT', 'This session is not a visit.');
  }

  async approveFamily(actor: EventActor, seatId: string): Promise<void> {
    const { core } = this.ctx;
    this.requireVisit();
    const seat = core.seats.get(seatId);
    if (seat?.role !== 'family') throw new CourtLinkError('NOT_FOUND', 'No such family member in this visit.');
    if (core.record.status === 'ended') throw new CourtLinkError('SESSION_ENDED');
    if (seat.approved !== false) return;
    await core.commit(actor, 'visit.familyApproved', { seatId }, { seats: [core.seatWith(seatId, { approved: true })] });
  }

  /** Starts the visit's clock. Refused after its window (startBy); a second start changes nothing. */
  async start(actor: EventActor, plan: VisitPlan, now = Date.now()): Promise<string> {
    const { durationSeconds, warnAtSeconds, startBy } = plan;
    const { core, deadlines } = this.ctx;
    this.requireVisit();
    if (core.record.status === 'ended') throw new CourtLinkError('SESSION_ENDED');
    if (core.record.endsAt) return core.record.endsAt;
    if (now > Date.parse(startBy)) throw new CourtLinkError('VISIT_WINDOW_CLOSED');
    const due = now + durationSeconds * 1000;
    const endsAt = new Date(due).toISOString();
    await core.commit(actor, 'visit.started', { endsAt, durationSeconds }, { record: { endsAt } });
    // Scheduled after the commit: a crash in between leaves a visit without an end, which the next start repairs (see above).
    await deadlines.schedule(visitDeadlines.end, core.id, due);
    for (const seconds of warnAtSeconds)
      if (seconds < durationSeconds) await deadlines.schedule(visitDeadlines.warn, `${core.id}:${seconds}`, due - seconds * 1000);
    return endsAt;
  }

  /** A warning deadline fired. Idempotent: nothing once the visit has ended. */
  async warn(secondsLeft: number): Promise<void> {
    const { core } = this.ctx;
    if (core.record.status === 'ended' || !core.record.endsAt) return;
    await core.commit({ kind: 'system', reason: 'deadline' }, 'visit.warning', { secondsLeft, endsAt: core.record.endsAt });
  }

  async allowChat(actorSeatId: string, allowed: boolean): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'allow_chat');
    if ((core.record.visitChatAllowed === true) === allowed) return;
    await core.commit(core.eventActor(actorSeatId), 'visit.chatAllowed', { allowed }, { record: { visitChatAllowed: allowed } });
  }
}
