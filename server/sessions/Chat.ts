import { CourtLinkError, mayReceive, type RequestOf } from '../../signaling/index.js';
import type { SessionContext } from './SessionContext.js';
import type { SeatRecord } from './SessionStore.js';

/**
 * Chat: participants write to the host and co-hosts; they write to everyone or
 * to one person. A message never leaves the room it was written in.
 */
export class Chat {
  constructor(private readonly ctx: SessionContext) {}

  async send(from: string, { text, to }: RequestOf<'chat:send'>): Promise<void> {
    const { core, presence, view } = this.ctx;
    core.authorize(from, 'chat');
    const sender = core.seats.get(from) as SeatRecord;
    const senderHosts = view.seesWaiting(sender);
    if (to !== undefined && !senderHosts) throw new CourtLinkError('FORBIDDEN', 'Messages go to the host.');
    const inRoom = (seat: SeatRecord) =>
      seat.state === 'admitted' && mayReceive({ kind: 'seat', seatId: seat.seatId, location: seat.location }, sender);
    if (to !== undefined) {
      const recipient = core.seats.get(to);
      if (!recipient || !inRoom(recipient)) throw new CourtLinkError('NOT_FOUND', 'No such participant in your room.');
    }
    const message = {
      from,
      fromName: sender.displayName,
      text,
      at: new Date().toISOString(),
      toHosts: !senderHosts,
      ...(to ? { to } : {}),
    };
    await core.commit(core.eventActor(from), 'chat.sent', {
      from,
      to: to ?? (senderHosts ? 'room' : 'hosts'),
      room: sender.location,
      length: Array.from(text).length,
    });
    presence.notifyWhere(
      (seat) => seat.seatId === from || (inRoom(seat) && (senderHosts ? to === undefined || seat.seatId === to : view.seesWaiting(seat))),
      'chat:message',
      message,
    );
  }
}
