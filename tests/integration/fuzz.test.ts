import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodes,
  isErrorBody,
  type RequestName,
  type RequestOf,
  requestNames,
  requests,
  socketMessageMaxBytes,
} from '../../signaling/index.js';
import { startTestServer, type TestServer, testJwtSecret } from '../support/server.js';
import {
  api,
  type ClientSocket,
  codeOf,
  connect,
  createSession,
  type Invite,
  invite,
  joinAdmitted,
  must,
  next,
  request,
  useSockets,
} from '../support/signaling.js';

/** Set FUZZ_SEED to replay a failing run; the seed in use is part of every failure message. */
const seed = Number(process.env.FUZZ_SEED ?? 20240611);

type Rng = () => number;

/** mulberry32: small, fast and the same on every machine. */
function prng(seedValue: number): Rng {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Sets an own property, even one called __proto__, so that it goes out on the wire like any other key. */
function put(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;

const special = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%s%s%s%n',
  '\u0024{process.env}',
  "'; DROP TABLE seats; --",
  '\u0000\u0001\u0002',
  '\uFFFF\uFFFE',
  '\uD800',
  '调解员',
  '😀👨‍👩‍👧',
  'a'.repeat(65),
  'AAAAAAAAAAAA',
  'session:join',
  'host:end',
];
const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:.';

function randomString(rng: Rng): string {
  const roll = rng();
  if (roll < 0.3) return pick(rng, special);
  if (roll < 0.75) return Array.from({ length: int(rng, 24) }, () => alphabet[int(rng, alphabet.length)]).join('');
  if (roll < 0.85) return Array.from({ length: int(rng, 16) }, () => String.fromCodePoint(int(rng, 0x2ffff))).join('');
  if (roll < 0.98) return 'x'.repeat(256 + int(rng, 5000));
  // Large, but under socket.io's 256 KiB message limit.
  return 'y'.repeat(50_000 + int(rng, 150_000));
}

function randomNumber(rng: Rng): number {
  return pick(rng, [
    0,
    -0,
    1,
    -1,
    0.5,
    127,
    128,
    255,
    256,
    65535,
    2 ** 31,
    2 ** 53 + 1,
    -(2 ** 53),
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    rng() * 1e6,
  ]);
}

function randomValue(rng: Rng, depth = 0): unknown {
  const roll = rng();
  if (depth > 4 || roll < 0.12) return pick(rng, [null, undefined, true, false]);
  if (roll < 0.3) return randomNumber(rng);
  if (roll < 0.55) return randomString(rng);
  if (roll < 0.7) return Array.from({ length: int(rng, 6) }, () => randomValue(rng, depth + 1));
  if (roll < 0.95) {
    const object: Record<string, unknown> = {};
    for (let i = int(rng, 6); i > 0; i--) put(object, randomString(rng).slice(0, 64), randomValue(rng, depth + 1));
    return object;
  }
  return Buffer.from(Array.from({ length: int(rng, 64) }, () => int(rng, 256)));
}

function deeplyNested(rng: Rng): unknown {
  // socket.io-client walks payloads recursively, so much deeper nesting goes out raw (see below).
  const depth = 100 + int(rng, 900);
  const asArray = rng() < 0.5;
  let value: unknown = randomValue(rng, 5);
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { [pick(rng, ['a', 'seatId', 'codecs', 'selfTest'])]: value };
  return value;
}

function wideObject(rng: Rng): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < 500 + int(rng, 3000); i++) object[`k${i}`] = i;
  return object;
}

/** A valid payload for every request; the fuzzer mutates these, and sometimes sends them as they are. */
function templates(target: string): { [E in RequestName]: RequestOf<E> } {
  const rtpCapabilities = {
    codecs: [
      { kind: 'audio' as const, mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
      { kind: 'video' as const, mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101, rtcpFeedback: [{ type: 'nack' }] },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 }],
  };
  return {
    'session:join': { selfTest: { verdict: 'good', rttMs: 20, udp: true, camera: true, microphone: true } },
    'session:resume': {},
    'session:leave': {},
    'session:raiseHand': { raised: true },
    'host:admit': { seatId: target },
    'host:deny': { seatId: target },
    'host:remove': { seatId: target },
    'host:mute': { seatId: target },
    'host:requestUnmute': { seatId: target },
    'host:stopVideo': { seatId: target },
    'host:lock': { locked: false },
    'host:end': {},
    'host:autoAdmit': { roles: ['interpreter'] },
    'host:handover': { seatId: target },
    'caucus:open': { name: '申请人一方' },
    'caucus:move': { seatIds: [target], roomId: 'joint' },
    'caucus:close': { roomId: 'kAbCdEf1234' },
    'caucus:returnAll': {},
    'media:consume': { producerId: 'producer-0001' },
    'media:capabilities': {},
    'media:createTransport': { direction: 'recv' },
    'media:connectTransport': {
      transportId: 'transport-0001',
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD:EF' }] },
    },
    'media:restartIce': { transportId: 'transport-0001' },
    'media:closeTransport': { transportId: 'transport-0001' },
    'media:produce': {
      transportId: 'transport-0001',
      kind: 'video',
      source: 'camera',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 1234 }] },
    },
    'media:closeProducer': { producerId: 'producer-0001' },
    'media:pauseProducer': { producerId: 'producer-0001' },
    'media:resumeProducer': { producerId: 'producer-0001' },
    'media:ready': { rtpCapabilities },
    'media:pauseConsumer': { consumerId: 'consumer-0001' },
    'media:resumeConsumer': { consumerId: 'consumer-0001' },
    'media:setPreferredLayers': { consumerId: 'consumer-0001', spatialLayer: 1, temporalLayer: 0 },
    'net:ping': {},
    'probe:start': {},
    'probe:connect': { dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD:EF' }] } },
    'probe:produce': {
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }] },
    },
    'probe:result': {},
    'chat:send': { text: '你好', to: target },
    // agreements and judicial confirmation (docs)
    'agreement:get': {},
    'agreement:edit': {
      version: 0,
      draft: {
        caseNumber: '（2026）调字第1号',
        disputeType: 'general',
        parties: [
          {
            id: 'p1',
            seatId: target,
            name: '王甲',
            idNumber: '110105196001011234',
            address: '某村1号',
            phone: '13812345678',
            side: '申请人',
          },
          {
            id: 'p2',
            seatId: target,
            name: '李乙',
            idNumber: '110105196001015678',
            address: '某村2号',
            phone: '13812345679',
            side: '被申请人',
          },
        ],
        facts: '事实',
        terms: [{ id: 't1', text: '条款' }],
        mediator: { name: '张调解', organisation: '调解委员会' },
      },
    },
    'agreement:confirmClause': { seatId: target, clauseId: 't1', version: 1 },
    'agreement:sign': { seatId: target, version: 1, png: 'iVBORw0KGgo=' },
    'agreement:finalize': {},
    'court:call': {},
    'court:decide': { confirmed: false, reason: '理由' },
    'record:start': {},
    'record:stop': {},
    'caucus:setRecording': { roomId: 'joint', recorded: true },
    'visit:allowChat': { allowed: true },
  };
}

/** Changes one spot of a valid payload: a wrong type, a missing or extra key, an out-of-range value. */
function mutate(value: unknown, rng: Rng): unknown {
  if (Array.isArray(value) && value.length > 0 && rng() < 0.7) {
    const copy = [...value];
    const i = int(rng, copy.length);
    copy[i] = mutate(copy[i], rng);
    return copy;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const roll = rng();
    if (keys.length > 0 && roll < 0.6) {
      const key = pick(rng, keys);
      put(copy, key, mutate(copy[key], rng));
    } else if (keys.length > 0 && roll < 0.8) {
      delete copy[pick(rng, keys)];
    } else {
      put(copy, randomString(rng).slice(0, 32) || 'extra', randomValue(rng, 3));
    }
    return copy;
  }
  const roll = rng();
  if (roll < 0.15) return [value];
  if (roll < 0.25) return String(value);
  if (roll < 0.35 && typeof value === 'number') return value + pick(rng, [-1000, -1, 1, 1000, 0.5]);
  if (roll < 0.45 && typeof value === 'string') return value + randomString(rng);
  return randomValue(rng, 3);
}

function opusProduce(transportId: string): RequestOf<'media:produce'> {
  return {
    transportId,
    kind: 'audio',
    source: 'mic',
    rtpParameters: {
      mid: '0',
      codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
      headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
      encodings: [{ ssrc: 1000 + Math.floor(Math.random() * 1e6) }],
      rtcp: { cname: 'fuzz' },
    },
  };
}

function vp8SimulcastProduce(transportId: string): RequestOf<'media:produce'> {
  return {
    transportId,
    kind: 'video',
    source: 'camera',
    rtpParameters: {
      mid: '1',
      codecs: [
        { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'goog-remb' }] },
        { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
      ],
      headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
      encodings: [
        { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 100_000 },
        { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 300_000 },
        { rid: 'r2', maxBitrate: 900_000 },
      ],
      rtcp: { cname: 'fuzz' },
    },
  };
}

type Outcome = { event: string; payload: string; ack: unknown };

const stackPattern = /\bat .*\.(?:ts|js):\d+|\.(?:ts|js):\d+:\d+|node:internal|node_modules/;

/** What an ack may look like: a catalogue error and nothing more, or the documented response. */
function checkAck(event: string, ack: unknown): string | undefined {
  const text = JSON.stringify(ack) ?? String(ack);
  if (stackPattern.test(text)) return 'contains a stack trace';
  if (text.includes(testJwtSecret)) return 'contains the JWT secret';
  if (isErrorBody(ack)) {
    if (Object.keys(ack).join() !== 'error' || Object.keys(ack.error).sort().join() !== 'code,message') return 'error has extra fields';
    if (typeof ack.error.message !== 'string' || ack.error.message.length > 400) return 'error message is not a short string';
    if (ack.error.code === 'INTERNAL') return 'INTERNAL error';
    return undefined;
  }
  if (!(requestNames as string[]).includes(event)) return 'unknown event answered with something other than an error';
  const parsed = requests[event as RequestName].response.safeParse(ack);
  return parsed.success ? undefined : `response does not match the schema: ${parsed.error.issues[0]?.message}`;
}

type RawSocket = {
  emit(...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(...args: unknown[]): Promise<unknown> };
};
const raw = (socket: ClientSocket) => socket as unknown as RawSocket;

const unknownEvents = [
  'hello',
  'host:End',
  'host:',
  'media:',
  'session:join ',
  'error',
  'ping',
  'constructor',
  '__proto__',
  'toString',
  '调解',
];

describe('fuzzing the signalling gateway', () => {
  let server: TestServer;
  let sessionId: string;
  let hostInvite: Invite;
  let host: ClientSocket;
  let waiting: ClientSocket;
  let waitingInvite: Invite;
  let target: Invite;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer({ SIGNALING_RATE_LIMIT: '100000' });
    sessionId = await createSession(server, 'mediation', '模糊测试');
    hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    host = track(await joinAdmitted(server, undefined, hostInvite));
    // Host actions aim at a seat that is only invited: never at the sockets doing the fuzzing.
    target = await invite(server, sessionId, 'party', '靶子');
    waitingInvite = await invite(server, sessionId, 'party', '候场者');
    waiting = track(await connect(server, waitingInvite.token));
    expect(await request(waiting, 'session:join', {})).toMatchObject({ state: 'waiting' });
  });
  afterAll(() => server?.stop());

  it(`answers thousands of malformed requests with catalogue errors or valid responses (seed ${seed})`, async () => {
    const rng = prng(seed);
    const valid = templates(target.seatId);
    const outcomes: Outcome[] = [];
    const problems: string[] = [];
    const rejected: { socket: string; payload: unknown }[] = [];
    const codes: Record<string, number> = {};
    const perEvent: Record<string, number> = {};
    let fireAndForget = 0;
    for (const [name, socket] of [
      ['host', host],
      ['waiting', waiting],
    ] as const) {
      socket.on('request:rejected', (payload) => rejected.push({ socket: name, payload }));
    }

    /** One send; resolves once its ack (if any) is in. */
    async function send(socket: ClientSocket, who: string, i: number): Promise<void> {
      const unknown = rng() < 0.06;
      let event = unknown
        ? rng() < 0.5
          ? pick(rng, unknownEvents)
          : randomString(rng).slice(0, 2000) || 'empty'
        : pick(rng, requestNames);
      // Random text can spell a real request; an unknown event must stay unknown.
      if (unknown && (requestNames as string[]).includes(event)) event = `${event}?`;

      const roll = rng();
      let payload: unknown;
      if (unknown) payload = randomValue(rng);
      else if (roll < 0.1) payload = structuredClone(valid[event as RequestName]);
      else if (roll < 0.45) payload = mutate(structuredClone(valid[event as RequestName]), rng);
      else if (roll < 0.88) payload = randomValue(rng);
      else if (roll < 0.93) payload = deeplyNested(rng);
      else if (roll < 0.96) payload = wideObject(rng);
      else payload = Buffer.from(randomString(rng).slice(0, 4096));

      // Stay under socket.io's 256 KiB message limit (the test below covers what happens above it).
      if ((JSON.stringify(payload) ?? '').length > 200_000) payload = randomString(rng).slice(0, 100_000);

      let mode = pick(rng, ['ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'ackOnly', 'noAck', 'badAck', 'extraArgs'] as const);
      // Leaving or ending would stop the run from exercising validation; those requests only ever go out invalid.
      if (event === 'host:end' || event === 'session:leave') {
        if (mode === 'ackOnly' || mode === 'noAck') mode = 'ack';
        // Send these as plain JSON (no binary attachments, whose encoding drops a __proto__ key), and judge
        // them as the server will see them: JSON drops undefined and turns NaN into null.
        payload = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload) ?? 'null');
        if (requests[event].request.safeParse(payload ?? {}).success) payload = { unexpected: true };
      }
      // A unique marker makes a failing case easy to find again.
      const label = `${who} #${i} ${event.slice(0, 40)} (${mode})`;

      const s = raw(socket);
      try {
        let ack: unknown;
        if (mode === 'noAck') {
          s.emit(event, payload);
          fireAndForget++;
          return;
        }
        if (mode === 'badAck') {
          s.emit(event, payload, pick(rng, [42, 'ack', null, { fn: true }, [1, 2]]));
          fireAndForget++;
          return;
        }
        if (mode === 'ackOnly') ack = await s.timeout(5_000).emitWithAck(event);
        else if (mode === 'extraArgs') ack = await s.timeout(5_000).emitWithAck(event, payload, randomValue(rng, 4));
        else ack = await s.timeout(5_000).emitWithAck(event, payload);
        const code = codeOf(ack) ?? 'ok';
        codes[code] = (codes[code] ?? 0) + 1;
        perEvent[event] = (perEvent[event] ?? 0) + 1;
        outcomes.push({ event, payload: (JSON.stringify(payload) ?? String(payload)).slice(0, 200), ack });
        const problem = checkAck(event, ack);
        if (problem) problems.push(`${label}: ${problem}: ${JSON.stringify(ack).slice(0, 300)}`);
        if (unknown && codeOf(ack) !== 'INVALID_PAYLOAD') problems.push(`${label}: unknown event not refused: ${JSON.stringify(ack)}`);
        if (mode === 'extraArgs' && codeOf(ack) !== 'INVALID_PAYLOAD')
          problems.push(`${label}: extra arguments not refused: ${JSON.stringify(ack)}`);
      } catch (err) {
        problems.push(`${label}: no ack (${(err as Error).message})`);
      }
    }

    const rounds = 64;
    const perRound = 64;
    for (let round = 0; round < rounds; round++) {
      const batch: Promise<void>[] = [];
      for (let j = 0; j < perRound; j++) {
        const i = round * perRound + j;
        // Two thirds from the admitted host, a third from the waiting room.
        batch.push(rng() < 0.67 ? send(host, 'host', i) : send(waiting, 'waiting', i));
      }
      await Promise.all(batch);
      expect(host.connected && waiting.connected, `a fuzzing socket was dropped in round ${round} (seed ${seed})`).toBe(true);
    }
    // Give the fire-and-forget sends time to come back as request:rejected.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(problems.slice(0, 20), `seed ${seed}`).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(2_000);
    for (const event of requestNames) expect(perEvent[event] ?? 0, event).toBeGreaterThanOrEqual(40);
    expect(fireAndForget).toBeGreaterThan(100);
    // Plenty of both: the run reached the handlers, and refused what was wrong.
    expect(codes.INVALID_PAYLOAD ?? 0).toBeGreaterThan(1_000);
    expect(codes.ok ?? 0).toBeGreaterThan(20);
    expect(codes.FORBIDDEN ?? 0).toBeGreaterThan(10);
    expect(codes.NOT_ADMITTED ?? 0).toBeGreaterThan(10);
    for (const code of Object.keys(codes)) if (code !== 'ok') expect(errorCodes).toContain(code);
    // Every request that had no ack to answer and failed was reported as a catalogue error.
    expect(rejected.length).toBeGreaterThan(50);
    for (const { payload } of rejected) {
      const body = payload as { event: unknown; error: unknown };
      expect(typeof body.event === 'string' && body.event.length <= 64).toBe(true);
      expect(isErrorBody({ error: body.error })).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(stackPattern);
    }

    // The server is still healthy and still does its job.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    expect(await request(host, 'host:lock', { locked: false })).toEqual({ ok: true });
    expect(await request(host, 'host:autoAdmit', { roles: [] })).toEqual({ ok: true });
    const newcomer = await invite(server, sessionId, 'party', '新来的');
    const newcomerSocket = track(await joinAdmitted(server, host, newcomer));
    expect(await request(newcomerSocket, 'media:capabilities', {})).toHaveProperty('rtpCapabilities.codecs');
    const waitingAdmitted = next(waiting, 'session:admitted');
    expect(await request(host, 'host:admit', { seatId: waitingInvite.seatId })).toEqual({ ok: true });
    expect((await waitingAdmitted).you.seatId).toBe(waitingInvite.seatId);
  });

  it('answers a request with extra arguments, and does not carry it out', async () => {
    // The ack is the last argument, wherever it is; what comes between is refused.
    const locked = await raw(host).timeout(5_000).emitWithAck('host:lock', { locked: true }, 'extra');
    expect(codeOf(locked)).toBe('INVALID_PAYLOAD');
    const rejected = next(host, 'request:rejected', (r) => r.event === 'host:end');
    raw(host).emit('host:end', {}, 42);
    expect((await rejected).error.code).toBe('INVALID_PAYLOAD');
    const { body } = await api<{ session: { status: string; locked: boolean } }>(server, 'GET', `/sessions/${sessionId}`);
    expect(body.session).toMatchObject({ status: 'live', locked: false });
    // Without a payload the ack comes first, and the request is carried out.
    expect(await raw(host).timeout(5_000).emitWithAck('media:capabilities')).toHaveProperty('rtpCapabilities');
  });

  it(`answers malformed media requests aimed at real transports, producers and consumers (seed ${seed})`, async () => {
    const rng = prng(seed + 1);
    const mediaSession = await createSession(server, 'mediation', '媒体模糊测试');
    const publisher = track(await joinAdmitted(server, undefined, await invite(server, mediaSession, 'mediator', '发布者')));
    const receiver = track(await joinAdmitted(server, publisher, await invite(server, mediaSession, 'party', '接收者')));
    const consumerIds: string[] = [];
    receiver.on('consumer:new', (offer) => consumerIds.push(offer.consumerId));

    // The publisher sends a real microphone and a three-layer simulcast camera.
    const caps = must(await request(publisher, 'media:capabilities', {}));
    const pubSend = must(await request(publisher, 'media:createTransport', { direction: 'send' }));
    for (const produce of [opusProduce(pubSend.id), vp8SimulcastProduce(pubSend.id)]) {
      expect(await request(publisher, 'media:produce', produce)).toHaveProperty('producerId');
    }

    // The receiver has a real transport each way and asks for everything.
    const send = must(await request(receiver, 'media:createTransport', { direction: 'send' }));
    const recv = must(await request(receiver, 'media:createTransport', { direction: 'recv' }));
    expect(await request(receiver, 'media:ready', { rtpCapabilities: caps.rtpCapabilities })).toEqual({ ok: true });
    for (let waited = 0; consumerIds.length < 2 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(consumerIds.length).toBe(2);

    const producerIds: string[] = [];
    const fingerprint = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') };
    const mediaTemplates = (): Partial<{ [E in RequestName]: RequestOf<E> }> => ({
      'media:connectTransport': {
        transportId: pick(rng, [send.id, recv.id]),
        dtlsParameters: { role: 'client', fingerprints: [fingerprint] },
      },
      'media:restartIce': { transportId: pick(rng, [send.id, recv.id]) },
      // Never one of the receiver's own: closing them would end the rest of the run's media requests.
      'media:closeTransport': { transportId: pick(rng, ['transport-gone', 'x'.repeat(36)]) },
      'media:produce': rng() < 0.5 ? opusProduce(send.id) : vp8SimulcastProduce(send.id),
      'media:closeProducer': { producerId: pick(rng, producerIds.length ? producerIds : ['none-yet']) },
      'media:pauseProducer': { producerId: pick(rng, producerIds.length ? producerIds : ['none-yet']) },
      'media:resumeProducer': { producerId: pick(rng, producerIds.length ? producerIds : ['none-yet']) },
      'media:ready': { rtpCapabilities: caps.rtpCapabilities },
      'media:pauseConsumer': { consumerId: pick(rng, consumerIds) },
      'media:resumeConsumer': { consumerId: pick(rng, consumerIds) },
      'media:setPreferredLayers': { consumerId: pick(rng, consumerIds), spatialLayer: int(rng, 3), temporalLayer: int(rng, 3) },
    });

    const problems: string[] = [];
    const codes: Record<string, number> = {};
    let answered = 0;
    for (let round = 0; round < 12; round++) {
      const batch: Promise<void>[] = [];
      for (let j = 0; j < 50; j++) {
        const templatesNow = mediaTemplates();
        const event = pick(rng, Object.keys(templatesNow) as RequestName[]);
        const template = templatesNow[event];
        const payload = rng() < 0.25 ? template : mutate(structuredClone(template), rng);
        const label = `media #${round * 50 + j} ${event}`;
        batch.push(
          raw(receiver)
            .timeout(5_000)
            .emitWithAck(event, payload)
            .then(
              (ack) => {
                answered++;
                const code = codeOf(ack) ?? 'ok';
                codes[code] = (codes[code] ?? 0) + 1;
                const problem = checkAck(event, ack);
                if (problem) problems.push(`${label}: ${problem}: ${JSON.stringify(ack).slice(0, 300)}`);
                const producerId = (ack as { producerId?: string }).producerId;
                if (producerId) producerIds.push(producerId);
              },
              (err) => {
                problems.push(`${label}: no ack (${(err as Error).message}) for ${JSON.stringify(payload)?.slice(0, 400)}`);
              },
            ),
        );
      }
      await Promise.all(batch);
      // Make room for more producers, so media:produce keeps reaching mediasoup.
      for (const producerId of producerIds.splice(0)) await request(receiver, 'media:closeProducer', { producerId });
    }

    expect(problems.slice(0, 20), `seed ${seed + 1}`).toEqual([]);
    expect(answered).toBe(600);
    // The run reached mediasoup, not just the schemas.
    expect(codes.ok ?? 0).toBeGreaterThan(50);
    expect(codes.INVALID_PAYLOAD ?? 0).toBeGreaterThan(50);
    expect(receiver.connected && publisher.connected).toBe(true);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health.status).toBe('ok');
    // Media still flows: the receiver can still take a consumer and resume it.
    const consumer = consumerIds[0] as string;
    expect(await request(receiver, 'media:pauseConsumer', { consumerId: consumer })).toEqual({ ok: true });
    expect(await request(receiver, 'media:resumeConsumer', { consumerId: consumer })).toEqual({ ok: true });
  });

  it('refuses text that is not valid Unicode instead of leaving a media request unanswered', async () => {
    const party = await invite(server, sessionId, 'party', '代理对');
    const socket = track(await joinAdmitted(server, host, party));
    const send = must(await request(socket, 'media:createTransport', { direction: 'send' }));
    const withCname = (cname: string) => {
      const produce = opusProduce(send.id);
      return { ...produce, rtpParameters: { ...produce.rtpParameters, rtcp: { cname } } };
    };
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    // A lone surrogate, in a value or a key: mediasoup's worker would never answer these.
    for (const [event, payload] of [
      ['media:produce', withCname('cname-\uD800')],
      [
        'media:connectTransport',
        { transportId: send.id, dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: `${fingerprint}\uDC00` }] } },
      ],
      [
        'media:connectTransport',
        { transportId: send.id, dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: fingerprint }], '\uD83D': 1 } },
      ],
    ] as const) {
      expect(codeOf(await raw(socket).timeout(3_000).emitWithAck(event, payload)), event).toBe('INVALID_PAYLOAD');
    }
    // Proper pairs (emoji) and CJK text are fine, and the transport is not stuck.
    expect(await request(socket, 'media:produce', withCname('调解-😀'))).toHaveProperty('producerId');
    expect(
      await request(socket, 'media:connectTransport', {
        transportId: send.id,
        dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] },
      }),
    ).toEqual({ ok: true });
  });

  it('drops only the sender of a message over the size limit', async () => {
    const party = await invite(server, sessionId, 'party', '超大消息');
    const socket = track(await connect(server, party.token));
    // Above its event's limit but under the transport's cap: a catalogue answer, and the socket stays.
    const tooLarge = await request(socket, 'session:join', { selfTest: { verdict: 'z'.repeat(400_000) } } as never);
    expect(codeOf(tooLarge)).toBe('PAYLOAD_TOO_LARGE');
    expect(socket.connected).toBe(true);
    // Above the transport's cap (socketMessageMaxBytes): socket.io closes this one connection.
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    raw(socket).emit('session:join', { selfTest: { verdict: 'z'.repeat(socketMessageMaxBytes + 1) } });
    expect(await dropped).toMatch(/close|disconnect/);
    expect(host.connected).toBe(true);
    expect(await request(host, 'session:raiseHand', { raised: false })).toEqual({ ok: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('closes a connection that sends malformed socket.io packets, and nothing else', async () => {
    const party = await invite(server, sessionId, 'party', '乱码');
    // Socket.io packets as the engine carries them: 2 is an event, 3 an ack, 5 a binary event.
    const packets = [
      '2["session:join"',
      '2',
      '29',
      '2{"a":1}',
      '2[]',
      '2[null]',
      '2["disconnect"]',
      '2[42,{}]',
      '3["x"]',
      '399[1]',
      '5-["x",{"_placeholder":true,"num":0}]',
      '51-["session:join",{"_placeholder":true,"num":7}]',
      '7',
      '42["session:join",{}]',
    ];
    for (const packet of packets) {
      const socket = track(await connect(server, party.token));
      const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
      (socket.io.engine as unknown as { write(msg: string): void }).write(packet);
      // A packet the parser rejects closes the connection; one it merely ignores leaves the socket usable.
      const outcome = await Promise.race([
        dropped.then(() => 'dropped'),
        new Promise<string>((resolve) => setTimeout(() => resolve('open'), 500)),
      ]);
      if (outcome === 'open') {
        // Still usable, unless the parser was left waiting for binary attachments: then the next packet ends it.
        const answer = await request(socket, 'media:capabilities', {}).catch((err: Error) => err.message);
        expect(codeOf(answer) ?? answer, packet).toBe(packet.startsWith('5') ? 'socket has been disconnected' : 'NOT_ADMITTED');
        socket.close();
      }
    }
    expect(host.connected).toBe(true);
    expect(await request(host, 'media:capabilities', {})).toHaveProperty('rtpCapabilities');
    expect((await (await fetch(`${server.url}/healthz`)).json()).status).toBe('ok');
  });

  it('answers payloads nested far deeper than any client library would send', async () => {
    const party = await invite(server, sessionId, 'party', '深层嵌套');
    const socket = track(await joinAdmitted(server, host, party));
    const send = must(await request(socket, 'media:createTransport', { direction: 'send' }));
    const depth = 60_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth / 4)}1${'}'.repeat(depth / 4)}`;
    const produce = opusProduce(send.id);
    const codecs = JSON.stringify(produce.rtpParameters.codecs);
    // Written as raw socket.io packets: the JS client would overflow its own stack encoding these.
    const packets = [
      ['session:join', `2["session:join",${deepArray}]`],
      ['host:admit', `2["host:admit",{"seatId":${deepObject}}]`],
      ['media:ready', `2["media:ready",{"rtpCapabilities":{"codecs":[],"x":${deepArray}}}]`],
      [
        'media:produce',
        `2["media:produce",{"transportId":"${send.id}","kind":"audio","source":"mic","rtpParameters":{"codecs":${codecs},"x":${deepObject}}}]`,
      ],
    ] as const;
    for (const [event, packet] of packets) {
      const refused = next(socket, 'request:rejected', (r) => r.event === event, 5_000);
      (socket.io.engine as unknown as { write(msg: string): void }).write(packet);
      const { error } = await refused.catch((err: Error) => {
        throw new Error(`${event}: ${err.message}`);
      });
      expect(isErrorBody({ error }), event).toBe(true);
      expect(error.code, event).not.toBe('INTERNAL');
      expect(JSON.stringify(error)).not.toMatch(stackPattern);
    }
    expect(socket.connected).toBe(true);
    expect(await request(socket, 'media:produce', produce)).toHaveProperty('producerId');
    expect((await (await fetch(`${server.url}/healthz`)).json()).status).toBe('ok');
  });
});

describe('rate limiting at the default limit', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('answers a flood with RATE_LIMITED, per socket, and recovers', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const party = track(await joinAdmitted(server, host, await invite(server, sessionId, 'party', '刷屏者')));

    const flood = await Promise.all(Array.from({ length: 400 }, () => request(party, 'session:raiseHand', { raised: true })));
    const tally: Record<string, number> = {};
    for (const answer of flood) {
      const code = codeOf(answer) ?? 'ok';
      tally[code] = (tally[code] ?? 0) + 1;
      expect(isErrorBody(answer) || requests['session:raiseHand'].response.safeParse(answer).success).toBe(true);
    }
    // The burst is twice the per-second rate (100 at the default 50); joining took one of them.
    expect(tally.ok).toBeGreaterThanOrEqual(95);
    expect(tally.RATE_LIMITED).toBeGreaterThanOrEqual(200);
    expect(Object.keys(tally).sort()).toEqual(['RATE_LIMITED', 'ok']);

    // The flood used up the party's budget only; the host is unaffected.
    expect(await request(host, 'media:capabilities', {})).toHaveProperty('rtpCapabilities');
    // Fire-and-forget floods are refused too, through request:rejected.
    const rejected: string[] = [];
    party.on('request:rejected', ({ error }) => rejected.push(error.code));
    for (let i = 0; i < 300; i++) raw(party).emit('session:raiseHand', { raised: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rejected.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThan(100);

    // The bucket refills.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await request(party, 'session:raiseHand', { raised: false })).toEqual({ ok: true });
  });

  it('limits a socket in the waiting room as well', async () => {
    const sessionId = await createSession(server);
    track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const waiter = track(await connect(server, (await invite(server, sessionId, 'party', '候场刷屏')).token));
    expect(await request(waiter, 'session:join', {})).toMatchObject({ state: 'waiting' });
    const flood = await Promise.all(Array.from({ length: 300 }, () => request(waiter, 'media:capabilities', {})));
    const codes = new Set(flood.map(codeOf));
    expect(codes).toEqual(new Set(['NOT_ADMITTED', 'RATE_LIMITED']));
  });
});
