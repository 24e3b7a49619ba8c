import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgreementView, type DocumentInfo, payloadBytes } from '../../signaling/index.js';
import { confirmAll, sessionDraft } from '../support/agreementFlow.js';
import { blankPng, signaturePng } from '../support/pdfFixtures.js';
import { nssTrusting, pdfsig, pdfText, withOneByteChanged } from '../support/pdfTools.js';
import { startTestServer, type TestServer } from '../support/server.js';
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
  record,
  request,
  staffToken,
  useSockets,
} from '../support/signaling.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * The agreement inside a session over real sockets, a real worker, real Redis,
 * and real pdfsig / pdftotext: draft, confirm, sign, finalize, call the court,
 * decide; every refusal leaves the agreement as it was.
 */
describe('mediation agreement and judicial confirmation', () => {
  let server: TestServer;
  let nss: string;
  const track = useSockets();
  let sessionId: string;
  const inv = {} as Record<'mediator' | 'a' | 'b' | 'observer', Invite>;
  const s = {} as Record<'mediator' | 'a' | 'b' | 'observer' | 'court', ClientSocket>;
  let agreementDoc: DocumentInfo;
  let rulingDoc: DocumentInfo;
  let courtToken: string;

  const view = async (socket = s.mediator) => must(await request(socket, 'agreement:get', {})) as AgreementView;
  const draft = () => sessionDraft(inv.a.seatId, inv.b.seatId);

  beforeAll(async () => {
    server = await startTestServer();
    nss = await nssTrusting(server.dataDir, readFileSync(join(server.dataDir, 'certs', 'ca.crt'), 'utf8'));
    sessionId = await createSession(server, 'mediation', '邻里纠纷调解');
    inv.mediator = await invite(server, sessionId, 'mediator', '张调解');
    inv.a = await invite(server, sessionId, 'party', '王建国');
    inv.b = await invite(server, sessionId, 'party', '李秀英');
    inv.observer = await invite(server, sessionId, 'observer', '旁听人');
    s.mediator = track(await joinAdmitted(server, undefined, inv.mediator));
    s.a = track(await joinAdmitted(server, s.mediator, inv.a));
    s.b = track(await joinAdmitted(server, s.mediator, inv.b));
    s.observer = track(await joinAdmitted(server, s.mediator, inv.observer));
  });
  afterAll(() => server?.stop());

  it('refuses bad drafts with a catalogue code and changes nothing', async () => {
    expect(codeOf(await request(s.a, 'agreement:edit', { version: 0, draft: draft() }))).toBe('FORBIDDEN');
    expect(codeOf(await request(s.observer, 'agreement:edit', { version: 0, draft: draft() }))).toBe('FORBIDDEN');
    const { facts: _facts, ...missing } = draft();
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 0, draft: missing as never }))).toBe('INVALID_PAYLOAD');
    const long = sessionDraft(inv.a.seatId, inv.b.seatId, { terms: [{ id: 't1', text: '长'.repeat(3000) }] });
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 0, draft: long }))).toBe('INVALID_PAYLOAD');
    const rare = sessionDraft(inv.a.seatId, inv.b.seatId, { facts: '王𪚥的院墙' });
    const glyph = await request(s.mediator, 'agreement:edit', { version: 0, draft: rare });
    expect(codeOf(glyph)).toBe('FONT_MISSING_GLYPH');
    expect(JSON.stringify(glyph)).toContain('𪚥');
    const notParty = sessionDraft(inv.observer.seatId, inv.b.seatId);
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 0, draft: notParty }))).toBe('INVALID_PAYLOAD');
    expect(await view()).toMatchObject({ status: 'none', version: 0, draft: null });
  });

  it('size: the largest draft travels, one above its limit is PAYLOAD_TOO_LARGE, a 10 MB frame closes only that socket; nothing changes', async () => {
    // 50 clauses of 2,000 CJK characters: over socket.io's default 256 KB, and within the contract.
    const terms = Array.from({ length: 50 }, (_, i) => ({ id: `t${i + 1}`, text: '长'.repeat(2000) }));
    const { facts: _facts, ...longestWithoutFacts } = sessionDraft(inv.a.seatId, inv.b.seatId, { terms });
    expect(payloadBytes({ version: 0, draft: longestWithoutFacts })).toBeGreaterThan(256 * 1024);
    // Answered by the contract (a field is missing), so the frame reached the dispatcher whole.
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 0, draft: longestWithoutFacts as never }))).toBe(
      'INVALID_PAYLOAD',
    );

    const oversized = sessionDraft(inv.a.seatId, inv.b.seatId, { terms: [{ id: 't1', text: 'x'.repeat(600 * 1024) }] });
    const refused = await request(s.mediator, 'agreement:edit', { version: 0, draft: oversized });
    expect(codeOf(refused)).toBe('PAYLOAD_TOO_LARGE');
    expect(JSON.stringify(refused)).toMatch(/at most 512 KB/);
    expect(s.mediator.connected).toBe(true);

    const extra = track(await joinAdmitted(server, undefined, inv.mediator));
    const closed = new Promise((done) => extra.once('disconnect', done));
    const huge = sessionDraft(inv.a.seatId, inv.b.seatId, { terms: [{ id: 't1', text: 'x'.repeat(10 * 1024 * 1024) }] });
    extra.emit('agreement:edit', { version: 0, draft: huge }, () => undefined);
    await closed;
    s.mediator = track(await joinAdmitted(server, undefined, inv.mediator));
    expect((await view()).version).toBe(0);
  });

  it('the mediator drafts; everyone in the joint room sees each version; a stale edit is a CONFLICT', async () => {
    const seen = next(s.a, 'agreement:updated', (v) => v.version === 1);
    expect(must(await request(s.mediator, 'agreement:edit', { version: 0, draft: draft() }))).toEqual({ version: 1 });
    const partyView = await seen;
    expect(partyView.draft?.terms).toHaveLength(2);
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 0, draft: draft() }))).toBe('CONFLICT');
    expect((await view(s.observer)).version).toBe(1);

    // ID numbers and phones: whole for the mediator and for a party's own line, masked as printed for everyone else.
    const shown = (v: AgreementView) => v.draft?.parties.map((p) => [p.idNumber, p.phone]);
    expect(shown(await view(s.mediator))).toEqual([
      ['110105196001011234', '13812345678'],
      ['11010519650202567X', '13998765432'],
    ]);
    expect(shown(partyView)).toEqual([
      ['110105196001011234', '13812345678'],
      ['**************567X', '139****5432'],
    ]);
    expect(JSON.stringify(await view(s.observer))).not.toMatch(/110105196001011234|13812345678|11010519650202567X|13998765432/);
  });

  it('parties confirm clause by clause; an edit of a clause clears its confirmations only', async () => {
    must(await request(s.a, 'agreement:confirmClause', { seatId: inv.a.seatId, clauseId: 't1', version: 1 }));
    must(await request(s.a, 'agreement:confirmClause', { seatId: inv.a.seatId, clauseId: 't2', version: 1 }));
    expect(codeOf(await request(s.a, 'agreement:confirmClause', { seatId: inv.b.seatId, clauseId: 't1', version: 1 }))).toBe('FORBIDDEN');
    expect(codeOf(await request(s.observer, 'agreement:confirmClause', { seatId: inv.observer.seatId, clauseId: 't1', version: 1 }))).toBe(
      'FORBIDDEN',
    );
    const changed = draft();
    changed.terms[0] = { id: 't1', text: '被申请人于2026年7月15日前拆除加盖彩钢房的第二层。' };
    expect(must(await request(s.mediator, 'agreement:edit', { version: 1, draft: changed }))).toEqual({ version: 2 });
    expect((await view()).confirmations).toEqual({ t1: [], t2: [inv.a.seatId] });
    must(await request(s.mediator, 'agreement:edit', { version: 2, draft: draft() }));
  });

  it('signing: own line only, every clause confirmed, a real non-empty PNG, once', async () => {
    const png = b64(signaturePng(1));
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png }))).toBe('CONFLICT');
    await confirmAll(s.a, inv.a.seatId, draft(), 3);
    await confirmAll(s.b, inv.b.seatId, draft(), 3);
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.b.seatId, version: 3, png }))).toBe('FORBIDDEN');
    expect(codeOf(await request(s.mediator, 'agreement:sign', { seatId: inv.mediator.seatId, version: 3, png }))).toBe('FORBIDDEN');
    expect(
      codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png: b64(Buffer.from('GIF89a not a png')) })),
    ).toBe('SIGNATURE_IMAGE_INVALID');
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png: b64(blankPng()) }))).toBe(
      'SIGNATURE_IMAGE_EMPTY',
    );
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png: b64(blankPng(5000, 10)) }))).toBe(
      'SIGNATURE_IMAGE_TOO_LARGE',
    );
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png: 'A'.repeat(250_000) }))).toBe(
      'INVALID_PAYLOAD',
    );
    expect((await view()).signatures).toEqual([]);
    must(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png }));
    expect(codeOf(await request(s.a, 'agreement:sign', { seatId: inv.a.seatId, version: 3, png }))).toBe('CONFLICT');
    expect(codeOf(await request(s.mediator, 'agreement:finalize', {}))).toBe('CONFLICT');
  });

  it('the court is called before finalizing: staff see the call, join without waiting, and cannot confirm an unsigned agreement', async () => {
    expect(codeOf(await request(s.a, 'court:call', {}))).toBe('FORBIDDEN');
    must(await request(s.mediator, 'court:call', {}));
    expect(codeOf(await request(s.mediator, 'court:call', {}))).toBe('CONFLICT');
    const mediatorStaff = server.tokens.signStaff({ sub: 'm1', staffRole: 'mediator', orgId: 'o1' }, 600);
    expect((await api(server, 'GET', '/court/calls', undefined, mediatorStaff)).status).toBe(403);
    const judgeToken = server.tokens.signStaff({ sub: 'judge-1', staffRole: 'court_staff' }, 600);
    // A court token without an organisation is refused like any unscoped non-admin token; admins see every call.
    const calls = await api<{ calls: { sessionId: string }[] }>(server, 'GET', '/court/calls', undefined, staffToken(server));
    expect(calls.body.calls.map((c) => c.sessionId)).toContain(sessionId);
    expect((await api(server, 'GET', '/court/calls', undefined, judgeToken)).status).toBe(403);
    const joined = await api<{ seatId: string; token: string; url: string }>(
      server,
      'POST',
      `/court/calls/${sessionId}/join`,
      { displayName: '赵法官' },
      staffToken(server),
    );
    expect(joined.status).toBe(201);
    expect(joined.body.url).toMatch(/\/j\/[A-Za-z0-9]{16}$/);
    const again = await api<{ seatId: string }>(
      server,
      'POST',
      `/court/calls/${sessionId}/join`,
      { displayName: '赵法官' },
      staffToken(server),
    );
    expect(again.body.seatId).toBe(joined.body.seatId);
    courtToken = joined.body.token;
    s.court = track(await connect(server, courtToken));
    const answer = must(await request(s.court, 'session:join', {}));
    expect(answer.state).toBe('admitted');
    expect(codeOf(await request(s.court, 'court:decide', { confirmed: true }))).toBe('CONFLICT');
  });

  it('finalize renders, signs and stores the agreement; pdfsig and pdftotext agree', async () => {
    must(await request(s.b, 'agreement:sign', { seatId: inv.b.seatId, version: 3, png: b64(signaturePng(2)) }));
    expect(codeOf(await request(s.a, 'agreement:finalize', {}))).toBe('FORBIDDEN');
    const updated = next(s.a, 'agreement:updated', (v) => v.status === 'signed');
    agreementDoc = must(await request(s.mediator, 'agreement:finalize', {}));
    expect(agreementDoc).toMatchObject({ kind: 'agreement', sessionId, development: true });
    expect((await updated).documents).toHaveLength(1);
    expect(codeOf(await request(s.mediator, 'agreement:edit', { version: 3, draft: draft() }))).toBe('CONFLICT');

    const res = await fetch(`${server.url}/api/documents/${agreementDoc.id}`, { headers: { authorization: `Bearer ${inv.a.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    const file = join(server.dataDir, 'agreement.pdf');
    writeFileSync(file, pdf);
    const [sig, ...more] = await pdfsig(file, nss);
    expect(more).toHaveLength(0);
    expect(sig).toMatchObject({
      field: '调解组织电子签章',
      validation: 'Signature is Valid.',
      certificate: 'Certificate is Trusted.',
      total: true,
    });
    const text = await pdfText(file);
    expect(text).toContain('王建国');
    expect(text).toContain('李秀英');
    for (const term of draft().terms) expect(text).toContain(term.text);
    expect(text).toMatch(/第1页共\d+页/);
    expect(text).toContain('王建国（身份证尾号1234）');

    const tampered = join(server.dataDir, 'tampered.pdf');
    writeFileSync(tampered, withOneByteChanged(pdf));
    expect((await pdfsig(tampered, nss))[0]?.validation).toBe('Digest Mismatch.');
    const check = async (body: Uint8Array) =>
      (
        await fetch(`${server.url}/api/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/pdf' },
          body: body as unknown as BodyInit,
        })
      ).json() as Promise<{
        ok: boolean;
        signatures: { valid: boolean; modifiedAfterSigning: boolean; development: boolean; binding: { auditHead?: string } }[];
      }>;
    const good = await check(pdf);
    expect(good.ok).toBe(true);
    expect(good.signatures[0]).toMatchObject({ valid: true, modifiedAfterSigning: false, development: true });
    expect(good.signatures[0]?.binding.auditHead).toMatch(/^[0-9a-f]{64}$/);
    const bad = await check(readFileSync(tampered));
    expect(bad.ok).toBe(false);
    expect(bad.signatures[0]?.valid).toBe(false);
  });

  it('only court staff decide; the ruling cites the agreement and is signed by the court', async () => {
    expect(codeOf(await request(s.mediator, 'court:decide', { confirmed: true }))).toBe('FORBIDDEN');
    expect(codeOf(await request(s.a, 'court:decide', { confirmed: true }))).toBe('FORBIDDEN');
    expect(codeOf(await request(s.court, 'court:decide', { confirmed: false }))).toBe('INVALID_PAYLOAD');
    const updated = next(s.b, 'agreement:updated', (v) => v.status === 'confirmed');
    rulingDoc = must(await request(s.court, 'court:decide', { confirmed: true, caseNumber: '（2026）京0105民特123号' }));
    expect(rulingDoc.kind).toBe('ruling');
    expect((await updated).decision?.confirmed).toBe(true);
    expect(codeOf(await request(s.court, 'court:decide', { confirmed: true }))).toBe('CONFLICT');
    const res = await fetch(`${server.url}/api/documents/${rulingDoc.id}`, { headers: { authorization: `Bearer ${staffToken(server)}` } });
    const file = join(server.dataDir, 'ruling.pdf');
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    expect((await pdfsig(file, nss))[0]).toMatchObject({ field: '法院电子签章', validation: 'Signature is Valid.', total: true });
    const text = await pdfText(file);
    expect(text).toContain(agreementDoc.sha256);
    expect(text).toContain('上述调解协议有效');
    expect(text).toContain('赵法官');
  });

  it('documents: listed and downloaded by participants and staff only', async () => {
    const list = await api<{ documents: DocumentInfo[] }>(server, 'GET', `/sessions/${sessionId}/documents`, undefined, inv.b.token);
    expect(list.body.documents.map((d) => d.kind)).toEqual(['agreement', 'ruling']);
    expect((await api(server, 'GET', `/sessions/${sessionId}/documents`, undefined, staffToken(server))).status).toBe(200);
    expect((await api(server, 'GET', `/sessions/${sessionId}/documents`, undefined, null)).status).toBe(401);
    const other = await createSession(server);
    const outsider = await invite(server, other, 'party', '外人');
    const foreign = await fetch(`${server.url}/api/documents/${agreementDoc.id}`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(foreign.status).toBe(404);
    expect((await api(server, 'GET', `/sessions/${sessionId}/documents`, undefined, 'not-a-token')).status).toBe(401);
    expect((await api(server, 'GET', '/documents/..%2F..%2Fetc%2Fpasswd', undefined, staffToken(server))).status).toBe(400);
  });

  it('/api/verify refuses a non-PDF (400) and a 50 MB upload (413) with catalogue codes', async () => {
    const post = (body: Uint8Array, type = 'application/pdf') =>
      fetch(`${server.url}/api/verify`, { method: 'POST', headers: { 'content-type': type }, body: body as unknown as BodyInit });
    const notPdf = await post(Buffer.from('hello, not a pdf'));
    expect(notPdf.status).toBe(400);
    expect(((await notPdf.json()) as { error: { code: string } }).error.code).toBe('DOCUMENT_NOT_PDF');
    const big = await post(new Uint8Array(50 * 1024 * 1024).fill(0x25));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('the audit trail records each step without the text; the signature attestation carries the IP', async () => {
    const raw = await fetch(`${server.url}/api/sessions/${sessionId}/audit`, {
      headers: { authorization: `Bearer ${staffToken(server)}` },
    });
    const entries = (await raw.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    const types = entries.map((e) => e.type);
    for (const t of [
      'agreement.edited',
      'agreement.clauseConfirmed',
      'agreement.signed',
      'agreement.finalized',
      'court.called',
      'court.joined',
      'court.decided',
    ])
      expect(types).toContain(t);
    const signed = entries.find((e) => e.type === 'agreement.signed');
    expect(signed?.data).toMatchObject({ idLast4: '1234', ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(signed?.data.name).not.toBe('王建国');
    expect(JSON.stringify(entries)).not.toContain('彩钢房');
  });

  it('the draft belongs to the joint room: a party in a caucus is not sent it and gets it on return', async () => {
    const sid = await createSession(server);
    const m = await invite(server, sid, 'mediator', '调解员');
    const a = await invite(server, sid, 'party', '甲');
    const b = await invite(server, sid, 'party', '乙');
    const ms = track(await joinAdmitted(server, undefined, m));
    const as = track(await joinAdmitted(server, ms, a));
    track(await joinAdmitted(server, ms, b));
    const d = sessionDraft(a.seatId, b.seatId);
    must(await request(ms, 'agreement:edit', { version: 0, draft: d }));
    const { roomId } = must(await request(ms, 'caucus:open', { name: '申请人一方' }));
    must(await request(ms, 'caucus:move', { seatIds: [a.seatId], roomId }));
    const seen = record(as, ['agreement:updated']);
    must(await request(ms, 'agreement:edit', { version: 1, draft: { ...d, facts: '双方系邻居，因排水发生纠纷。' } }));
    expect(codeOf(await request(as, 'agreement:get', {}))).toBe('CONFLICT');
    const back = next(as, 'agreement:updated');
    must(await request(ms, 'caucus:returnAll', {}));
    expect((await back).version).toBe(2);
    expect(seen).toHaveLength(1);
  });

  it('a signature after the session ended is refused (SESSION_ENDED), and the agreement survives a restart', async () => {
    const sid = await createSession(server);
    const m = await invite(server, sid, 'mediator', '调解员');
    const a = await invite(server, sid, 'party', '甲');
    const b = await invite(server, sid, 'party', '乙');
    const ms = track(await joinAdmitted(server, undefined, m));
    const as = track(await joinAdmitted(server, ms, a));
    const d = sessionDraft(a.seatId, b.seatId);
    must(await request(ms, 'agreement:edit', { version: 0, draft: d }));
    await confirmAll(as, a.seatId, d, 1);
    must(await request(ms, 'host:end', {}));
    const live = await server.sessions.require(sid);
    await expect(
      live.signAgreement(a.seatId, { seatId: a.seatId, version: 1, png: b64(signaturePng(3)) }, '10.0.0.1'),
    ).rejects.toMatchObject({
      code: 'SESSION_ENDED',
    });
    await expect(connect(server, a.token)).rejects.toMatchObject({ data: { code: 'SESSION_ENDED' } });

    const dataDir = server.dataDir;
    await server.close();
    server = Object.assign(await startTestServer({}, { dataDir }), { stop: () => Promise.resolve() });
    const restarted = await server.sessions.require(sessionId);
    expect(restarted.core.policyState().agreement).toBe('confirmed');
    expect(restarted.agreement.documents().map((x) => x.id)).toEqual([agreementDoc.id, rulingDoc.id]);
    const ended = await server.sessions.require(sid);
    expect(ended.core.policyState().agreement).toBe('draft');
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
