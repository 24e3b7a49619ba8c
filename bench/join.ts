/**
 * bench/join: how fast do participants get into a session?
 *
 * Starts the real server (embedded Redis, real workers) as a child process,
 * schedules SESSIONS sessions and issues CLIENTS invites across them (one
 * mediator per session, the rest parties). Every client connects with its
 * token and joins; the session's mediator admits each party the moment it
 * appears in the waiting room. Measured per client: from opening the socket
 * with the token to being admitted. Printed: p50, p95, max, and the RSS of
 * the server process and its workers.
 *
 *   npx tsx bench/join.ts            (CLIENTS=200 SESSIONS=20 CONCURRENCY=20)
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../signaling/index.js';
import { startBenchServer } from './server.js';
import { childPids, percentile, rssMiB } from './stats.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const clients = Number(process.env.CLIENTS ?? 200);
const sessionCount = Number(process.env.SESSIONS ?? 20);
const concurrency = Number(process.env.CONCURRENCY ?? 20);

const server = await startBenchServer();
const { url, post } = server;

function open(token: string): Client {
  return io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
}

const sockets: Client[] = [];
const latencies: number[] = [];

// One admitted mediator per session, admitting whoever waits.
const sessions: { id: string }[] = [];
for (let i = 0; i < sessionCount; i++) {
  const { session } = await post<{ session: { id: string } }>('/sessions', { type: 'mediation', title: `bench ${i}` });
  const { token } = await post<{ token: string }>(`/sessions/${session.id}/invites`, { role: 'mediator', displayName: `调解员${i}` });
  const host = open(token);
  sockets.push(host);
  await host.timeout(10_000).emitWithAck('session:join', {});
  host.on('waiting:updated', ({ waiting }) => {
    for (const w of waiting) host.emit('host:admit', { seatId: w.seatId }, () => undefined);
  });
  sessions.push(session);
}

const partyTokens: string[] = [];
for (let i = 0; i < clients - sessionCount; i++) {
  const session = sessions[i % sessionCount] as { id: string };
  partyTokens.push((await post<{ token: string }>(`/sessions/${session.id}/invites`, { role: 'party', displayName: `当事人${i}` })).token);
}

async function joinOne(token: string): Promise<void> {
  const started = performance.now();
  const socket = open(token);
  sockets.push(socket);
  const admitted = new Promise<void>((resolve) => socket.once('session:admitted', () => resolve()));
  const answer = await socket.timeout(10_000).emitWithAck('session:join', {});
  if ('error' in answer) throw new Error(answer.error.code);
  if (answer.state !== 'admitted') await admitted;
  latencies.push(performance.now() - started);
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < partyTokens.length) await joinOne(partyTokens[next++] as string);
  }),
);
const wall = performance.now() - started;

// /healthz says only ok/not ok now; the workers are the server's mediasoup-worker children.
const serverPid = server.pid;
const workerRss = childPids(serverPid, 'mediasoup-worke').map((pid) => rssMiB(pid));

console.log(
  `bench/join: ${latencies.length} parties (+${sessionCount} mediators) into ${sessionCount} sessions, ${concurrency} joining at a time`,
);
console.log(
  `  token → admitted  p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms`,
);
console.log(`  throughput        ${((latencies.length / wall) * 1000).toFixed(0)} joins/s`);
console.log(`  server RSS        ${rssMiB(serverPid)} MiB (node)   workers ${workerRss.join(' / ')} MiB`);
console.log(`  goal              p95 < 100 ms: ${percentile(latencies, 95) < 100 ? 'met' : 'NOT met'}`);

for (const s of sockets) s.close();
await server.stop();
