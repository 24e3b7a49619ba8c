import type { Role } from '../../signaling/index.js';
import type { TokenService } from '../auth/tokens.js';
import type { SessionDirectory } from '../sessions/index.js';

export type SeatInvite = { seatId: string; role: Role; displayName: string; url: string; expiresAt: string };

export type SeatInviteDeps = { sessions: SessionDirectory; tokens: TokenService; publicUrl: () => string };

/**
 * One seat and its join link. The same steps as POST /api/sessions/:id/invites;
 * when the lead's short /j/<id> links land, this becomes a call to that one function.
 */
export async function issueSeatInvite(
  { sessions, tokens, publicUrl }: SeatInviteDeps,
  sessionId: string,
  input: { role: Role; displayName: string; ttlSeconds: number },
): Promise<SeatInvite> {
  const seat = await sessions.invite(sessionId, input);
  const token = tokens.signInvite({ sessionId, seatId: seat.seatId, role: seat.role, displayName: seat.displayName }, input.ttlSeconds);
  return {
    seatId: seat.seatId,
    role: seat.role,
    displayName: seat.displayName,
    url: `${publicUrl()}/j/${token}`,
    expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
  };
}
