import { describe, expect, it } from 'vitest';
import {
  assertWithinByteLimit,
  CourtLinkError,
  errorCatalogue,
  isErrorBody,
  payloadBytes,
  requestByteLimit,
  socketMessageMaxBytes,
  toErrorBody,
} from '../../signaling/index.js';

describe('error catalogue', () => {
  it('turns a CourtLinkError into its code and message', () => {
    expect(toErrorBody(new CourtLinkError('SESSION_LOCKED'))).toEqual({
      error: { code: 'SESSION_LOCKED', message: errorCatalogue.SESSION_LOCKED.message },
    });
  });

  it('never passes an unknown error message or stack to the client', () => {
    const body = toErrorBody(new Error('ECONNREFUSED 10.0.0.3:6379 at Socket.connect'));
    expect(body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
  });

  it('recognises only catalogue codes as error bodies', () => {
    expect(isErrorBody({ error: { code: 'FORBIDDEN', message: 'x' } })).toBe(true);
    expect(isErrorBody({ error: { code: 'WHATEVER', message: 'x' } })).toBe(false);
    expect(isErrorBody({ ok: true })).toBe(false);
  });
});

describe('request size limits (the same check in the client and the dispatcher)', () => {
  const clause = (text: string) => ({ version: 0, draft: { terms: [{ id: 't1', text }] } });

  it('lets the largest agreement the contract allows through, under the transport cap', () => {
    const terms = Array.from({ length: 50 }, (_, i) => ({ id: `t${i + 1}`, text: '长'.repeat(2000) }));
    const longest = { version: 0, draft: { facts: '事'.repeat(5000), terms, parties: Array(10).fill({ address: '址'.repeat(200) }) } };
    expect(() => assertWithinByteLimit('agreement:edit', longest)).not.toThrow();
    expect(requestByteLimit('agreement:edit')).toBeLessThan(socketMessageMaxBytes);
  });

  it('refuses a 10 MB clause with PAYLOAD_TOO_LARGE naming both sizes', () => {
    let thrown: unknown;
    try {
      assertWithinByteLimit('agreement:edit', clause('x'.repeat(10 * 1024 * 1024)));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CourtLinkError);
    expect((thrown as CourtLinkError).code).toBe('PAYLOAD_TOO_LARGE');
    expect((thrown as CourtLinkError).message).toMatch(/10241 KB; at most 512 KB/);
  });

  it('counts UTF-8 bytes, not characters, and keeps small requests small', () => {
    expect(payloadBytes({ text: '长' })).toBe(JSON.stringify({ text: '' }).length + 3);
    expect(() => assertWithinByteLimit('chat:send', { text: 'x'.repeat(70 * 1024) })).toThrow(CourtLinkError);
  });
});

describe('request size limits on hostile shapes', () => {
  it('answers a payload nested too deeply to measure with INVALID_PAYLOAD, not a crash', () => {
    const deep = JSON.parse(`${'['.repeat(60_000)}${']'.repeat(60_000)}`);
    expect(() => assertWithinByteLimit('session:join', deep)).toThrow(/nested too deeply/);
  });
});
