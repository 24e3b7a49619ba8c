import { io, type Socket } from 'socket.io-client';
import { afterAll } from 'vitest';
import type {
  ClientToServerEvents,
  ErrorBody,
  NotificationName,
  NotificationOf,
  RequestName,
  RequestOf,
  ResponseOf,
  Role,
  ServerToClientEvents,
  SessionType,
} from '../../signaling/index.js';
import type { TestServer } from './server.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function staffToken(server: TestServer): string {
  return server.tokens.signStaff({ sub: 'test-admin', staffRole: 'admin' }, 600);
}

export async function api<T = Record<string, unknown>>(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = staffToken(server),
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export async function createSession(server: TestServer, type: SessionType = 'mediation', title = '邻里纠纷调解'): Promise<string> {
  const { status, body } = await api<{ session: { id: string } }>(server, 'POST', '/sessions', { type, title });
  if (status !== 201) throw new Error(`create session failed: ${status} ${JSON.stringify(body)}`);
  return body.session.id;
}

export type Invite = { seatId: string; token: string; url: string; host: boolean };

export async function invite(server: TestServer, sessionId: string, role: Role, displayName: string): Promise<Invite> {
  const { status, body } = await api<Invite>(server, 'POST', `/sessions/${sessionId}/invites`, { role, displayName });
  if (status !== 201) throw new Error(`invite failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A real socket.io client. Resolves once connected; rejects with the server's refusal ({code, message}). */
export function connect(server: TestServer, token: unknown, extraAuth: Record<string, unknown> = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(server.url, {
    auth: { token, ...extraAuth },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  // Acknowledge consumer offers like a real client would.
  socket.on('consumer:new', (_offer, ack) => ack({ ok: true }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(Object.assign(new Error(err.message), { data: (err as Error & { data?: unknown }).data }));
    });
  });
}

export function request<E extends RequestName>(socket: ClientSocket, event: E, payload: RequestOf<E>): Promise<ResponseOf<E> | ErrorBody> {
  // The typed emit cannot be spread over a generic event name.
  return (socket.timeout(10_000).emitWithAck as (e: string, p: unknown) => Promise<ResponseOf<E> | ErrorBody>)(event, payload);
}

/** Resolves once the socket is disconnected (by either side). */
export function closed(socket: ClientSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.disconnected) resolve();
    else socket.once('disconnect', () => resolve());
  });
}

/** Waits for the next notification of one kind (optionally one matching `where`). */
export function next<E extends NotificationName>(
  socket: ClientSocket,
  event: E,
  where: (payload: NotificationOf<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<NotificationOf<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: NotificationOf<E>) => {
      if (!where(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/** Collects every notification of the given kinds, for asserting what did or did not arrive. */
export function record(socket: ClientSocket, events: NotificationName[]): { event: string; payload: unknown }[] {
  const seen: { event: string; payload: unknown }[] = [];
  for (const event of events) socket.on(event, ((payload: unknown) => seen.push({ event, payload })) as never);
  return seen;
}

/** The successful answer, or a thrown error naming the catalogue code the server answered with. */
export function must<T>(answer: T | ErrorBody): T {
  if (typeof answer === 'object' && answer !== null && 'error' in answer)
    throw new Error(`expected success, got ${JSON.stringify(answer)}`);
  return answer;
}

export function codeOf(value: unknown): string | undefined {
  return (value as ErrorBody | undefined)?.error?.code;
}

/** A connected participant who has joined (and, for non-hosts, been admitted by `host`). */
export async function joinAdmitted(server: TestServer, host: ClientSocket | undefined, inv: Invite): Promise<ClientSocket> {
  const socket = await connect(server, inv.token);
  const admitted = next(socket, 'session:admitted');
  // Hosts and returning seats are admitted by the join itself; this wait then simply runs out.
  admitted.catch(() => undefined);
  const joined = await request(socket, 'session:join', {});
  if ('state' in joined && joined.state === 'admitted') return socket;
  if (!host) throw new Error(`expected ${inv.seatId} to be admitted, got ${JSON.stringify(joined)}`);
  const answer = await request(host, 'host:admit', { seatId: inv.seatId });
  if (codeOf(answer)) throw new Error(`admit failed: ${JSON.stringify(answer)}`);
  await admitted;
  return socket;
}

/** Remembers sockets a test file opens and closes them all after its last test. */
export function useSockets(): (socket: ClientSocket) => ClientSocket {
  const sockets: ClientSocket[] = [];
  afterAll(() => {
    for (const s of sockets) s.close();
  });
  return (socket) => {
    sockets.push(socket);
    return socket;
  };
}
