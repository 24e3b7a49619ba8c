import { type Logger, pino } from 'pino';

export type { Logger };

/** Keys whose values identify a person or grant access. They never reach a log line whole. */
const piiKeys = ['displayName', 'name', 'phone', 'idNumber', 'address', 'email'];
const secretKeys = ['token', 'password', 'secret', 'authorization', 'cookie', 'jwtSecret', 'passwordHash', 'sid', 'set-cookie'];

/** 张三丰 → 张**, Alice → A****: enough to tell log lines apart, not enough to identify. */
export function maskPii(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return '*';
  const chars = Array.from(value);
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

function redactPaths(): string[] {
  const keys = [...piiKeys, ...secretKeys];
  return [...keys, ...keys.map((k) => `*.${k}`), 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'courtlink' },
      redact: {
        paths: redactPaths(),
        censor: (value, path) => (secretKeys.includes(String(path.at(-1))) ? '[secret]' : maskPii(value)),
      },
    },
    destination,
  );
}
