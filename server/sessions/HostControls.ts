import { CourtLinkError, type EventActor, type RequestOf } from '../../signaling/index.js';
import type { Admission } from './Admission.js';
import { graceDeadline, type SessionContext } from './SessionContext.js';

/** What the host (and, where the policy allows, co-hosts) can do to people and to the session. */
export class HostControls {
  constructor(
    private readonly ctx: SessionContext,
    private readonly admission: Admission,
  ) {}

  async remove(actorSeatId: string, target: string): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'remove', target);
    const seat = core.seats.get(target);
    if (!seat || seat.state === 'removed' || seat.state === 'denied') throw new CourtLinkError('CONFLICT', 'That person is already out.');
    await core.commit(
      core.eventActor(actorSeatId),
      'seat.removed',
      { seatId: target, from: seat.state },
      { seats: [core.seatWith(target, { state: 'removed' })] },
    );
    await this.admission.release(target);
  }

  /** Host mute or stop-video: the server pauses the producer, so it holds even against a modified client. */
  async silence(actorSeatId: string, target: string, source: 'mic' | 'camera'): Promise<void> {
    const { core, media } = this.ctx;
    core.authorize(actorSeatId, 'mute', target);
    if (core.seats.get(target)?.state !== 'admitted') throw new CourtLinkError('CONFLICT', 'That person is not in the session.');
    if (await media.pauseSource(target, source)) await core.commit(core.eventActor(actorSeatId), 'host.muted', { seatId: target, source });
  }

  async requestUnmute(actorSeatId: string, target: string): Promise<void> {
    const { core, presence } = this.ctx;
    core.authorize(actorSeatId, 'mute', target);
    if (core.seats.get(target)?.state !== 'admitted' || !presence.connected(target))
      throw new CourtLinkError('CONFLICT', 'That person is not connected.');
    await core.commit(core.eventActor(actorSeatId), 'host.unmuteRequested', { seatId: target });
  }

  async lock(actorSeatId: string, { locked }: RequestOf<'host:lock'>): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'lock');
    await core.commit(core.eventActor(actorSeatId), 'session.locked', { locked }, { record: { locked } });
  }

  async setAutoAdmit(actorSeatId: string, { roles }: RequestOf<'host:autoAdmit'>): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'auto_admit');
    const unique = [...new Set(roles)];
    await core.commit(core.eventActor(actorSeatId), 'host.autoAdmitChanged', { roles: unique }, { record: { autoAdmitRoles: unique } });
  }

  async handover(actorSeatId: string, target: string): Promise<void> {
    const { core, presence } = this.ctx;
    core.authorize(actorSeatId, 'handover', target);
    if (!presence.connected(target)) throw new CourtLinkError('CONFLICT', 'That person is not connected.');
    await core.commit(
      core.eventActor(actorSeatId),
      'host.handedOver',
      { from: actorSeatId, to: target },
      { record: { hostSeatId: target } },
    );
  }

  /** Ends the session for everyone, waiting or admitted. No link opens it again. */
  async end(actor: EventActor, reason: 'host' | 'deadline' | 'admin'): Promise<void> {
    const { core, media, deadlines, presence } = this.ctx;
    if (actor.kind === 'seat') core.authorize(actor.seatId, 'end');
    if (core.record.status === 'ended') return;
    await core.commit(actor, 'session.ended', { reason }, { record: { status: 'ended', endReason: reason } });
    for (const seatId of core.seats.keys()) await deadlines.cancel(graceDeadline.kind, graceDeadline.key(core.id, seatId));
    await media.close();
    presence.closeAll();
    this.ctx.log.info({ reason }, 'session ended');
  }
}
