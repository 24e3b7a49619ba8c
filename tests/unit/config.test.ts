import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.redis.url).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.media.workers).toBeGreaterThanOrEqual(1);
    expect(config.sessions.reconnectGraceMs).toBe(30_000);
  });

  it('takes values from the environment over defaults', () => {
    const config = loadConfig({ PORT: '8080', REDIS_URL: 'redis://10.0.0.5:6379', MEDIA_WORKERS: '3', RTC_ANNOUNCED_IP: '203.0.113.7' });
    expect(config.http.port).toBe(8080);
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
    expect(config.media.workers).toBe(3);
    expect(config.media.announcedIp).toBe('203.0.113.7');
  });

  it('rejects a bad value by naming the variable and what it accepts', () => {
    const [problem] = problemsOf({ PORT: 'eighty' });
    expect(problem).toContain('PORT="eighty"');
    expect(problem).toContain('an integer from 0 to 65535');
  });

  it('lists the accepted values of an enum', () => {
    const [problem] = problemsOf({ LOG_LEVEL: 'loud' });
    expect(problem).toContain('LOG_LEVEL');
    expect(problem).toContain('fatal, error, warn, info, debug, trace, silent');
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: '70000', REDIS_URL: 'http://nope', MEDIA_WORKERS: '0' });
    expect(problems.map((p) => p.split('=')[0])).toEqual(['PORT', 'REDIS_URL', 'MEDIA_WORKERS']);
  });

  it('never echoes a secret in its error', () => {
    const [problem] = problemsOf({ JWT_SECRET: 'short-secret' });
    expect(problem).toContain('JWT_SECRET=<hidden>');
    expect(problem).not.toContain('short-secret');
  });

  it('rejects an inverted RTC port range', () => {
    const [problem] = problemsOf({ RTC_MIN_PORT: '50000', RTC_MAX_PORT: '40000' });
    expect(problem).toContain('RTC_MAX_PORT');
  });
});
