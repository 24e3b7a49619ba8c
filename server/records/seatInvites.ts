import type { EventActor, Role } from '../../signaling/index.js';
import type { InviteLinks, SessionDirectory } from '../sessions/index.js';

export type SeatInvite = { seatId: string; role: Role; displayName: string; host: boolean; linkId: string; url: string; expiresAt: string };

export type SeatInviteDeps = { sessions: SessionDirectory; links: InviteLinks; publicUrl: () => string };

/**
 * One seat and its short join link (/j/<id>, resolved to the seat on the
 * server and expiring with the link). The one way seats are invited: the
 * session API and the back office's case pages both call it.
 */
export async function issueSeatInvite(
  { sessions, links, publicUrl }: SeatInviteDeps,
  sessionId: string,
  actor: EventActor,
  input: { role: Role; displayName: string; side?: 'applicant' | 'respondent' | undefined; ttlSeconds: number },
): Promise<SeatInvite> {
  const seat = await sessions.invite(sessionId, actor, input);
  return {
    seatId: seat.seatId,
    role: seat.role,
    displayName: seat.displayName,
    host: seat.host,
    ...(await linkToSeat({ links, publicUrl }, sessionId, seat.seatId, input.ttlSeconds)),
  };
}

/** A fresh short link (/j/<id>) to a seat that already exists, e.g. after a reload; older links stay valid until they expire. */
export async function linkToSeat(
  { links, publicUrl }: Pick<SeatInviteDeps, 'links' | 'publicUrl'>,
  sessionId: string,
  seatId: string,
  ttlSeconds: number,
): Promise<{ linkId: string; url: string; expiresAt: string }> {
  const { linkId, expiresAt } = await links.create({ sessionId, seatId }, ttlSeconds);
  return { linkId, url: `${publicUrl()}/j/${linkId}`, expiresAt: new Date(expiresAt).toISOString() };
}
