import { jointRoom, type Location } from './session.js';

/** Someone who can receive media, chat and speaker changes: a seat, or the recorder. */
export type Subscriber = { kind: 'seat'; seatId: string; location: Location } | { kind: 'recorder'; rooms: readonly Location[] };
/** The sending side: a seat in a room (its camera, microphone, screen, chat or voice). */
export type Source = { seatId: string; location: Location };

/**
 * The one audience rule (背对背调解): people receive only what is said and
 * shown in the room they are in. It decides media offers, chat, the active
 * speaker and what the recorder takes. The recorder takes the joint room and
 * any caucus the host chose to record.
 */
export function mayReceive(subscriber: Subscriber, source: Source): boolean {
  if (subscriber.kind === 'recorder') return subscriber.rooms.includes(source.location);
  if (subscriber.seatId === source.seatId) return false;
  return subscriber.location === source.location;
}

/** The rooms a recorder takes: the joint room, plus the caucuses set to be recorded. */
export function recordedRooms(caucuses: readonly { id: Location; recorded: boolean }[]): Location[] {
  return [jointRoom, ...caucuses.filter((c) => c.recorded).map((c) => c.id)];
}
