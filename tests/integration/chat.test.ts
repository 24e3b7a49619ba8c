import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf, createSession, invite, joinAdmitted, record, request, useSockets } from '../support/signaling.js';

describe('chat with the host', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('carries a party’s message to the hosts only, and a host’s message to everyone or to one person', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const aInvite = await invite(server, sessionId, 'party', '甲');
    const bInvite = await invite(server, sessionId, 'party', '乙');
    const a = track(await joinAdmitted(server, host, aInvite));
    const b = track(await joinAdmitted(server, host, bInvite));
    const seen = { host: record(host, ['chat:message']), a: record(a, ['chat:message']), b: record(b, ['chat:message']) };

    expect(await request(a, 'chat:send', { text: '我想单独说几句' })).toEqual({ ok: true });
    await expect.poll(() => seen.host.length).toBe(1);
    expect(seen.host[0]?.payload).toMatchObject({ from: aInvite.seatId, fromName: '甲', toHosts: true, text: '我想单独说几句' });
    expect(seen.a).toHaveLength(1); // the sender sees their own message
    expect(seen.b).toHaveLength(0);

    expect(await request(host, 'chat:send', { text: '请各方稍候' })).toEqual({ ok: true });
    await expect.poll(() => seen.b.length).toBe(1);
    expect(seen.a.at(-1)?.payload).toMatchObject({ text: '请各方稍候', toHosts: false });

    expect(await request(host, 'chat:send', { text: '甲方请注意', to: aInvite.seatId })).toEqual({ ok: true });
    await expect.poll(() => seen.a.length).toBe(3);
    expect(seen.a.at(-1)?.payload).toMatchObject({ text: '甲方请注意', to: aInvite.seatId });
    expect(seen.b).toHaveLength(1);

    expect(codeOf(await request(a, 'chat:send', { text: '私聊', to: bInvite.seatId }))).toBe('FORBIDDEN');
    expect(codeOf(await request(a, 'chat:send', { text: '   ' }))).toBe('INVALID_PAYLOAD');
  });
});
