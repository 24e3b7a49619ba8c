import { describe, expect, it } from 'vitest';
import { parseTtl } from '../../server/cli/main.js';

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
