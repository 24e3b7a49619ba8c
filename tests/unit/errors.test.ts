import { describe, expect, it } from 'vitest';
import { CourtLinkError, errorCatalogue, isErrorBody, toErrorBody } from '../../signaling/index.js';

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
