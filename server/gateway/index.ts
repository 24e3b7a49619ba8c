import type { Server } from 'socket.io';
import type { z } from 'zod';
import {
  allowedBeforeAdmission,
  assertAllowed,
  assertWithinByteLimit,
  type ClientToServerEvents,
  CourtLinkError,
  type ErrorBody,
  type InviteClaims,
  type RequestName,
  type RequestOf,
  requestAction,
  requestNames,
  requests,
  type ServerToClientEvents,
  toErrorBody,
} from '../../signaling/index.js';
import type { TokenService } from '../auth/index.js';
import type { Logger } from '../log/index.js';
import type { WorkerPool } from '../media/index.js';
import type { SessionDirectory } from '../sessions/index.js';
import { handlers, type RequestContext, type SocketState } from './handlers.js';
import { TokenBucket } from './rateLimit.js';
import { SeatLimits } from './SeatLimits.js';
import { type CourtLinkSocket, SocketChannel } from './SocketChannel.js';

export type GatewayDeps = {
  tokens: TokenService;
  sessions: SessionDirectory;
  pool: WorkerPool;
  log: Logger;
  /** Requests per second a socket may sustain, and the burst above that. */
  rateLimit?: { perSecond: number; burst: number };
  /** A seat moved to a fresh socket (session:resume): counted for operators (courtlink_signal_resumes_total). */
  onResume?: () => void;
};

type SocketData = { claims: InviteClaims };

/**
 * The one door into the server for participants: every socket is
 * authenticated by its invite token and refused at the handshake if its seat
 * was denied or removed or its session ended; every event is rate limited,
 * parsed with its zod schema and checked by the one policy before a handler runs.
 */
export function attachGateway(io: Server<ClientToServerEvents, ServerToClientEvents>, deps: GatewayDeps): void {
  const { tokens, sessions, pool, log } = deps;
  const limit = deps.rateLimit ?? { perSecond: 50, burst: 100 };
  const seatLimits = new SeatLimits();

  io.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { token?: unknown; sessionId?: unknown };
      const claims = tokens.verifyInvite(auth.token);
      // A client that names a session must hold a token for exactly that session.
      if (auth.sessionId !== undefined && auth.sessionId !== claims.sessionId) {
        throw new CourtLinkError('FORBIDDEN', 'This link belongs to another session.');
      }
      // A denied or removed seat, or an ended session, never gets a socket again.
      const session = await sessions.require(claims.sessionId);
      const seat = session.core.seats.get(claims.seatId);
      if (!seat || seat.role !== claims.role) throw new CourtLinkError('UNAUTHENTICATED', 'This link is not valid for this session.');
      assertAllowed(session.core.actorOf(claims.seatId), 'join', undefined, session.core.policyState());
      seatLimits.openSocket(claims.seatId);
      (socket.data as SocketData).claims = claims;
      next();
    } catch (err) {
      const body = toErrorBody(err);
      const refusal = new Error(body.error.code) as Error & { data: ErrorBody['error'] };
      refusal.data = body.error;
      next(refusal);
    }
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as CourtLinkSocket;
    const { claims } = socket.data as SocketData;
    const channel = new SocketChannel(socket);
    const bucket = new TokenBucket(limit.burst, limit.perSecond);
    let joined = false;
    const socketState: SocketState = { probe: undefined };

    const dispatch = async (event: RequestName, args: unknown[]): Promise<unknown> => {
      if (!bucket.take()) throw new CourtLinkError('RATE_LIMITED');
      if (args.length > 1) throw new CourtLinkError('INVALID_PAYLOAD', 'A request takes one payload and an acknowledgement callback.');
      const [payload] = args;
      assertWithinByteLimit(event, payload);
      const parsed = (requests[event].request as z.ZodType).safeParse(payload ?? {});
      if (!parsed.success) throw new CourtLinkError('INVALID_PAYLOAD', describeIssues(parsed.error));
      if (hasLoneSurrogate(parsed.data))
        throw new CourtLinkError('INVALID_PAYLOAD', 'The request was malformed (text is not valid Unicode).');
      const session = await sessions.require(claims.sessionId);
      const { core } = session;
      const target = (parsed.data as { seatId?: string }).seatId;
      // The one policy: role, host seat, seat state (denied, removed, waiting) and session state.
      assertAllowed(
        core.actorOf(claims.seatId),
        requestAction(event, parsed.data as RequestOf<typeof event>),
        core.targetOf(target),
        core.policyState(),
      );
      if (!allowedBeforeAdmission.includes(event) && !(joined && session.isAdmitted(claims.seatId))) {
        throw new CourtLinkError('NOT_ADMITTED');
      }
      const context: RequestContext = { session, claims, channel, pool, socketState, quota: seatLimits };
      const result = await (handlers[event] as (ctx: RequestContext, p: unknown) => Promise<unknown>)(context, parsed.data);
      if (event === 'session:resume') deps.onResume?.();
      if (event === 'session:join' || event === 'session:resume') {
        joined = true;
        // The socket may have dropped while the join waited in the session's queue.
        if (socket.disconnected) void session.disconnect(claims.seatId, channel);
      }
      return result;
    };

    const reply = (event: string, ack: unknown, result: unknown) => {
      if (typeof ack === 'function') ack(result);
      else if (typeof result === 'object' && result !== null && 'error' in result) {
        socket.emit('request:rejected', { event: event.slice(0, 64), error: (result as ErrorBody).error });
      }
    };

    const onError = (event: string, err: unknown): ErrorBody => {
      const body = toErrorBody(err);
      if (body.error.code === 'INTERNAL') log.error({ event, err }, 'request failed');
      else log.debug({ event, code: body.error.code }, 'request refused');
      return body;
    };

    for (const event of requestNames) {
      socket.on(event, (...args: unknown[]) => {
        // socket.io always passes the ack callback last (first, when no payload was sent). Taking the
        // second argument instead would leave a client that sent extra arguments without any answer.
        const ack = typeof args.at(-1) === 'function' ? args.pop() : undefined;
        dispatch(event, args).then(
          (result) => reply(event, ack, result),
          (err) => reply(event, ack, onError(event, err)),
        );
      });
    }

    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && (requestNames as string[]).includes(event)) return;
      const ack = args.at(-1);
      // Unknown events cost a token too, or they would be a free way to flood the server.
      const refusal = bucket.take() ? new CourtLinkError('INVALID_PAYLOAD', 'Unknown event.') : new CourtLinkError('RATE_LIMITED');
      reply(String(event), ack, refusal.toBody());
    });

    socket.on('disconnect', () => {
      seatLimits.closeSocket(claims.seatId);
      socketState.probe?.close();
      if (!joined) return;
      void sessions
        .get(claims.sessionId)
        .then((session) => session?.disconnect(claims.seatId, channel))
        .catch((err) => log.warn({ err: (err as Error).message }, 'disconnect handling failed'));
    });
  });
}

const loneSurrogate = /[\uD800-\uDFFF]/u;

/**
 * True when a key or string anywhere in the payload holds a lone UTF-16
 * surrogate. JSON carries one happily, but mediasoup's worker cannot parse the
 * request it ends up in and never answers it (mediasoup 3.12 has no channel
 * timeout), so the request, and every later produce on that transport, would
 * hang for good. Iterative, since loose media objects may nest deeply.
 */
function hasLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (loneSurrogate.test(item)) return true;
    } else if (typeof item === 'object' && item !== null && !ArrayBuffer.isView(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (loneSurrogate.test(key)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
  return `The request was malformed (${first.join('; ')}).`.slice(0, 300);
}
