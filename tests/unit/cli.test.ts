import { describe, expect, it } from 'vitest';
import { joinOptionValues, parseTtl } from '../../server/cli/main.js';
import { newId } from '../../server/sessions/SessionStore.js';

describe('parseTtl', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseTtl('45')).toBe(45);
    expect(parseTtl('30s')).toBe(30);
    expect(parseTtl('90m')).toBe(5400);
    expect(parseTtl('2h')).toBe(7200);
    expect(parseTtl('7d')).toBe(604800);
  });

  it('refuses anything else with the flag named', () => {
    expect(() => parseTtl('two hours')).toThrow('--ttl "two hours"');
    expect(() => parseTtl('-5m')).toThrow('--ttl');
  });
});

describe('ids and the command line', () => {
  it('never makes an id that starts with a dash or an underscore', () => {
    for (let i = 0; i < 20_000; i++) expect(newId()).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('passes any value after an option, even one that looks like an option', () => {
    expect(joinOptionValues(['invite', '--session', '-abc', '--role', 'party', '--name', '--x'])).toEqual([
      'invite',
      '--session=-abc',
      '--role=party',
      '--name=--x',
    ]);
    expect(joinOptionValues(['session', 'list', '--help'])).toEqual(['session', 'list', '--help']);
    expect(joinOptionValues(['verify-audit', 'a.jsonl'])).toEqual(['verify-audit', 'a.jsonl']);
  });
});
