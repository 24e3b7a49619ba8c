import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  isErrorBody,
  type PolicyTarget,
  type RequestName,
  type RequestOf,
  type Role,
  requestAction,
  requests,
  roles,
  type SeatAction,
} from '../../signaling/index.js';
import { opusParameters } from '../support/rtpParameters.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  api,
  type ClientSocket,
  codeOf,
  connect,
  createSession,
  invite,
  joinAdmitted,
  must,
  next,
  request,
  useSockets,
} from '../support/signaling.js';

/** Requests only some seats may make; 'host:end' last, so every other request still finds a live session. */
const privileged: RequestName[] = [
  'host:admit',
  'host:deny',
  'host:autoAdmit',
  'host:remove',
  'host:mute',
  'host:requestUnmute',
  'host:stopVideo',
  'host:lock',
  'host:handover',
  'caucus:open',
  'media:produce',
  'host:end',
];

/** A valid Opus send as a browser would describe it. */
const opusRtpParameters = opusParameters(11112222, 'permissions-test');

type Seats = { admitWait: string; denyWait: string; live: string; removable: string; sendTransportId: string };

function payloadFor(event: RequestName, seats: Seats): unknown {
  const payloads: Partial<{ [E in RequestName]: RequestOf<E> }> = {
    'host:admit': { seatId: seats.admitWait },
    'host:deny': { seatId: seats.denyWait },
    'host:autoAdmit': { roles: ['interpreter'] },
    'host:remove': { seatId: seats.removable },
    'host:mute': { seatId: seats.live },
    'host:requestUnmute': { seatId: seats.live },
    'host:stopVideo': { seatId: seats.live },
    'host:lock': { locked: true },
    'host:end': {},
    'host:handover': { seatId: seats.live },
    'caucus:open': { name: '申请人一方' },
    'media:produce': { transportId: seats.sendTransportId, kind: 'audio', source: 'mic', rtpParameters: opusRtpParameters },
  };
  const payload = payloads[event];
  if (payload === undefined) throw new Error(`no payload written for the privileged request ${event}`);
  return payload;
}

describe('permission matrix', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('covers every privileged request and every role', () => {
    // The loop below walks `roles` and `privileged` themselves; this only guards the ordering it relies on.
    expect(privileged.at(-1)).toBe('host:end');
    expect(privileged).toContain('media:produce');
    expect(privileged.filter((e) => e.startsWith('host:')).length).toBeGreaterThan(0);
  });

  for (const role of roles) {
    it(`answers ${role} (not the host) exactly as the policy table says`, async () => {
      const sessionId = await createSession(server, 'mediation', `权限 ${role}`);
      const hostInvite = await invite(server, sessionId, 'mediator', '主持调解员');
      expect(hostInvite.host).toBe(true);
      const host = track(await joinAdmitted(server, undefined, hostInvite));

      const testedInvite = await invite(server, sessionId, role, `被测 ${role}`);
      expect(testedInvite.host).toBe(false);
      const tested = track(await joinAdmitted(server, host, testedInvite));

      // Targets: two people waiting (one to admit, one to deny), two admitted (one to mute, one to remove).
      const [admitWait, denyWait, live, removable] = await Promise.all(
        ['候场甲', '候场乙', '在场丙', '在场丁'].map((name) => invite(server, sessionId, 'party', name)),
      );
      const liveSocket = track(await joinAdmitted(server, host, live!));
      const removableSocket = track(await joinAdmitted(server, host, removable!));
      const waitingSockets: ClientSocket[] = [];
      for (const inv of [admitWait!, denyWait!]) {
        const socket = track(await connect(server, inv.token));
        expect(await request(socket, 'session:join', {})).toMatchObject({ state: 'waiting' });
        waitingSockets.push(socket);
      }

      // Any admitted seat may open a transport; publishing on it is the privileged part.
      const transport = must(await request(tested, 'media:createTransport', { direction: 'send' }));
      const seats: Seats = {
        admitWait: admitWait!.seatId,
        denyWait: denyWait!.seatId,
        live: live!.seatId,
        removable: removable!.seatId,
        sendTransportId: transport.id,
      };

      const actor = { kind: 'seat', seatId: testedInvite.seatId, role, state: 'admitted', host: false } as const;
      const state = { type: 'mediation', status: 'live', locked: false } as const;
      const decide = (action: SeatAction, target?: PolicyTarget) => authorize(actor, action, target, state);
      const partyTarget = (seatId: string, seatState: 'waiting' | 'admitted'): PolicyTarget => ({
        seatId,
        role: 'party',
        host: false,
        state: seatState,
      });
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      for (const event of privileged) {
        const payload = payloadFor(event, seats);
        // The payload itself is valid, so the only thing that can refuse it is the policy (or the state).
        expect(requests[event].request.safeParse(payload).success, event).toBe(true);
        const action = requestAction(event, payload as never);
        const targetId = (payload as { seatId?: string }).seatId;
        const waiting = targetId === seats.admitWait || targetId === seats.denyWait;
        const decision = decide(action, targetId ? partyTarget(targetId, waiting ? 'waiting' : 'admitted') : undefined);
        const answer = await request(tested, event, payload as never);
        if (isErrorBody(answer)) {
          actual[event] = answer.error.code;
        } else {
          expect(requests[event].response.safeParse(answer).success, `${event} answered ${JSON.stringify(answer)}`).toBe(true);
          actual[event] = 'ok';
        }
        // Every target was set up so that a permitted request succeeds outright.
        expected[event] = decision.allowed ? 'ok' : decision.code;
      }
      expect(actual).toEqual(expected);

      // A refused request changed nothing; a permitted one did what it says.
      const { body } = await api<{
        session: { status: string; locked: boolean; autoAdmitRoles: Role[] };
        seats: { seatId: string; state: string }[];
      }>(server, 'GET', `/sessions/${sessionId}`);
      const stateOf = (seatId: string) => body.seats.find((s) => s.seatId === seatId)?.state;
      const allowed = (action: SeatAction) => decide(action, partyTarget(seats.live, 'admitted')).allowed;
      expect(stateOf(seats.admitWait)).toBe(allowed('admit') ? 'admitted' : 'waiting');
      expect(stateOf(seats.denyWait)).toBe(allowed('admit') ? 'denied' : 'waiting');
      expect(stateOf(seats.removable)).toBe(allowed('remove') ? 'removed' : 'admitted');
      expect(body.session.status).toBe(allowed('end') ? 'ended' : 'live');
      expect(body.session.locked).toBe(allowed('lock'));
      expect(body.session.autoAdmitRoles).toEqual(allowed('auto_admit') ? ['interpreter'] : []);
      // Court staff called into a mediation are co-hosts: they admit and mute, but cannot end, lock or remove.
      if (role === 'court_staff')
        expect(actual).toMatchObject({ 'host:admit': 'ok', 'host:end': 'FORBIDDEN', 'host:lock': 'FORBIDDEN', 'host:remove': 'FORBIDDEN' });

      if (!allowed('end')) {
        // The session still works for the tested seat, and the host can still end it.
        expect(await request(tested, 'session:raiseHand', { raised: true })).toEqual({ ok: true });
        const ended = next(liveSocket, 'session:ended');
        expect(await request(host, 'host:end', {})).toEqual({ ok: true });
        await ended;
      }
      for (const s of [removableSocket, ...waitingSockets]) s.close();
    });
  }

  it('checks the permission before admission too: a waiting party is FORBIDDEN, not merely not admitted', async () => {
    const sessionId = await createSession(server, 'mediation', '候场权限');
    track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const party = await invite(server, sessionId, 'party', '候场者');
    const socket = track(await connect(server, party.token));
    expect(await request(socket, 'session:join', {})).toMatchObject({ state: 'waiting' });
    expect(codeOf(await request(socket, 'host:admit', { seatId: party.seatId }))).toBe('FORBIDDEN');
    expect(codeOf(await request(socket, 'host:end', {}))).toBe('FORBIDDEN');
    // A permitted request still needs admission.
    expect(codeOf(await request(socket, 'session:raiseHand', { raised: true }))).toBe('NOT_ADMITTED');
  });
});
