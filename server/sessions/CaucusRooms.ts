import { type Caucus, CourtLinkError, jointRoom, type Location } from '../../signaling/index.js';
import type { SessionContext } from './SessionContext.js';
import { newId, type SeatRecord } from './SessionStore.js';

const maxCaucuses = 8;

/**
 * Private caucus rooms (背对背调解). The host opens named rooms, moves people
 * between them and the joint room, goes into any room, and brings everyone
 * back. A seat's location is persisted, so a reconnecting person returns to
 * their room; what each person receives follows from it (the audience rule).
 */
export class CaucusRooms {
  constructor(private readonly ctx: SessionContext) {}

  async open(actorSeatId: string, name: string): Promise<Location> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'caucus');
    const caucuses = core.record.caucuses;
    if (caucuses.length >= maxCaucuses) throw new CourtLinkError('CONFLICT', `At most ${maxCaucuses} caucus rooms can be open.`);
    if (caucuses.some((c) => c.name === name)) throw new CourtLinkError('CONFLICT', 'A caucus room with that name is already open.');
    const caucus: Caucus = { id: `k${newId(10)}`, name, recorded: false };
    await core.commit(
      core.eventActor(actorSeatId),
      'caucus.opened',
      { roomId: caucus.id, name },
      { record: { caucuses: [...caucuses, caucus] } },
    );
    return caucus.id;
  }

  async move(actorSeatId: string, seatIds: string[], roomId: Location): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'caucus');
    this.requireRoom(roomId);
    const unique = [...new Set(seatIds)];
    const seats = unique.map((id) => core.seats.get(id));
    if (seats.some((s) => s?.state !== 'admitted')) throw new CourtLinkError('CONFLICT', 'Only people in the session can be moved.');
    const moving = (seats as SeatRecord[]).filter((s) => s.location !== roomId);
    if (moving.length === 0) return;
    await this.relocate(actorSeatId, moving, roomId);
  }

  /** Closes a caucus room; anyone still in it goes back to the joint room. */
  async close(actorSeatId: string, roomId: Location): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'caucus');
    if (roomId === jointRoom) throw new CourtLinkError('CONFLICT', 'The joint room cannot be closed.');
    this.requireRoom(roomId);
    const inside = [...core.seats.values()].filter((s) => s.location === roomId);
    if (inside.length > 0) await this.relocate(actorSeatId, inside, jointRoom);
    await core.commit(
      core.eventActor(actorSeatId),
      'caucus.closed',
      { roomId },
      { record: { caucuses: core.record.caucuses.filter((c) => c.id !== roomId) } },
    );
  }

  /** Everyone back to the joint room; the caucus rooms stay open for the next round. */
  async returnAll(actorSeatId: string): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'caucus');
    const away = [...core.seats.values()].filter((s) => s.location !== jointRoom);
    if (away.length > 0) await this.relocate(actorSeatId, away, jointRoom);
  }

  private async relocate(actorSeatId: string, seats: SeatRecord[], roomId: Location): Promise<void> {
    const { core, media } = this.ctx;
    const seatIds = seats.map((s) => s.seatId);
    await core.commit(
      core.eventActor(actorSeatId),
      'caucus.moved',
      { seatIds, roomId },
      { seats: seats.map((s) => core.seatWith(s.seatId, { location: roomId })) },
    );
    await media.relocate(seatIds);
  }

  private requireRoom(roomId: Location): void {
    if (roomId !== jointRoom && !this.ctx.core.record.caucuses.some((c) => c.id === roomId))
      throw new CourtLinkError('NOT_FOUND', 'No such caucus room.');
  }
}
