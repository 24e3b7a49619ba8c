import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { CourtLinkError, InviteClaims, StaffAccountRole } from '../../signaling/index.js';

const algorithm = 'HS256' as const;
/** Invite links and staff API tokens can never be swapped for one another. */
export const audiences = { join: 'courtlink:join', staff: 'courtlink:staff' } as const;
const clockToleranceSeconds = 5;

export const StaffClaims = z.object({
  sub: z.string().min(1).max(128),
  staffRole: StaffAccountRole,
  /** The organisation a script token acts for; absent only on an administrator's unscoped token (the back-office routes require it). */
  orgId: z.string().min(1).max(64).optional(),
});
export type StaffClaims = z.infer<typeof StaffClaims>;

/**
 * Signs and verifies our JWTs. The algorithm is pinned, and exp, iss and aud
 * are required, so an unsigned token, a token from another issuer, or one
 * made for another purpose is refused.
 */
export class TokenService {
  constructor(
    private readonly secret: string,
    private readonly issuer: string,
  ) {}

  signInvite(claims: InviteClaims, ttlSeconds: number): string {
    return this.sign(InviteClaims.parse(claims), audiences.join, ttlSeconds);
  }

  verifyInvite(token: unknown): InviteClaims {
    return this.verify(token, audiences.join, InviteClaims);
  }

  signStaff(claims: StaffClaims, ttlSeconds: number): string {
    return this.sign(StaffClaims.parse(claims), audiences.staff, ttlSeconds);
  }

  verifyStaff(token: unknown): StaffClaims {
    return this.verify(token, audiences.staff, StaffClaims);
  }

  private sign(claims: object, audience: string, ttlSeconds: number): string {
    return jwt.sign(claims, this.secret, { algorithm, issuer: this.issuer, audience, expiresIn: ttlSeconds });
  }

  private verify<T>(token: unknown, audience: string, schema: z.ZodType<T>): T {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw new CourtLinkError('UNAUTHENTICATED');
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, {
        algorithms: [algorithm],
        issuer: this.issuer,
        audience,
        clockTolerance: clockToleranceSeconds,
      });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new CourtLinkError('TOKEN_EXPIRED');
      throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid.');
    }
    // jsonwebtoken only checks exp when it is present; we require it.
    if (typeof payload !== 'object' || typeof payload.exp !== 'number') {
      throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid.');
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid.');
    return parsed.data;
  }
}
