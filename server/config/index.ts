import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The one place configuration is read. Order: embedded defaults, then the
 * environment, then validation. A bad value stops start-up with a message that
 * names the variable and what it accepts; nothing silently falls back.
 */

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const mediaLogLevels = ['debug', 'warn', 'error', 'none'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const ipv4or6 = z.union([z.ipv4(), z.ipv6()]);

type Variable<T> = {
  schema: z.ZodType<T>;
  fallback: () => T | undefined;
  accepts: string;
};

function variable<T>(schema: z.ZodType<T>, fallback: () => T | undefined, accepts: string): Variable<T> {
  return { schema, fallback, accepts };
}

const variables = {
  PORT: variable(port, () => 3000, 'an integer from 0 to 65535 (0 picks a free port)'),
  HOST: variable(z.string().min(1), () => '127.0.0.1', 'a host name or IP address to listen on'),
  PUBLIC_URL: variable(z.url({ protocol: /^https?$/ }), () => undefined, 'an http(s) URL, e.g. https://courtlink.example.cn'),
  REDIS_URL: variable(
    z.url({ protocol: /^rediss?$/ }),
    () => undefined,
    'a redis:// or rediss:// URL; unset starts an embedded redis-server',
  ),
  DATA_DIR: variable(z.string().min(1), () => './data', 'a directory path'),
  LOG_LEVEL: variable(z.enum(logLevels), () => 'info' as const, `one of: ${logLevels.join(', ')}`),
  MEDIA_WORKERS: variable(z.coerce.number().int().min(1).max(64), () => availableParallelism(), 'an integer from 1 to 64'),
  MEDIA_LOG_LEVEL: variable(z.enum(mediaLogLevels), () => 'warn' as const, `one of: ${mediaLogLevels.join(', ')}`),
  RTC_LISTEN_IP: variable(ipv4or6, () => '127.0.0.1', 'an IPv4 or IPv6 address to bind media sockets to'),
  RTC_ANNOUNCED_IP: variable(z.string().min(1), () => undefined, 'the public IP or host name clients should send media to'),
  RTC_PORT: variable(port, () => 40000, 'an integer from 0 to 65535; worker N listens on RTC_PORT+N for UDP and TCP (0 picks free ports)'),
  RTC_MIN_PORT: variable(port.min(1024), () => 40100, 'an integer from 1024 to 65535'),
  RTC_MAX_PORT: variable(port.min(1024), () => 49999, 'an integer from 1024 to 65535, not below RTC_MIN_PORT'),
  JWT_SECRET: variable(z.string().min(32), () => undefined, 'a secret of at least 32 characters; unset generates one under DATA_DIR'),
  METRICS_TOKEN: variable(
    z.string().min(16),
    () => undefined,
    'a bearer token of at least 16 characters for GET /metrics; unset generates one in DATA_DIR/secrets/metrics.token',
  ),
  JWT_ISSUER: variable(z.string().min(1), () => 'courtlink', 'a non-empty string'),
  RECONNECT_GRACE_SECONDS: variable(z.coerce.number().int().min(1).max(600), () => 30, 'an integer from 1 to 600'),
  SIGNALING_RATE_LIMIT: variable(
    z.coerce.number().int().min(1).max(100_000),
    () => 50,
    'requests per second per socket, an integer from 1 to 100000',
  ),
  // documents: signing certificates (PKCS#12); unset uses development ones made under DATA_DIR/certs
  ORG_SIGNING_P12: variable(z.string().min(1), () => undefined, "a path to the mediation organisation's signing certificate (.p12)"),
  ORG_SIGNING_P12_PASSWORD: variable(z.string().min(1), () => undefined, 'the password of ORG_SIGNING_P12'),
  COURT_SIGNING_P12: variable(z.string().min(1), () => undefined, "a path to the court's signing certificate (.p12)"),
  COURT_SIGNING_P12_PASSWORD: variable(z.string().min(1), () => undefined, 'the password of COURT_SIGNING_P12'),
  // recordings/: recorder ffmpeg ports (pairs P, P+1) and the manifest signing key
  RECORDING_MIN_PORT: variable(port.min(1024), () => 20000, 'an integer from 1024 to 65535, outside the RTC and ephemeral port ranges'),
  RECORDING_MAX_PORT: variable(port.min(1024), () => 20999, 'an integer from 1024 to 65535, not below RECORDING_MIN_PORT'),
  RECORDING_SIGNING_KEY: variable(
    z.string().min(1),
    () => undefined,
    'the path of an Ed25519 private key (PEM); unset generates one under DATA_DIR/secrets',
  ),
} satisfies Record<string, Variable<unknown>>;

/** The kernel's ephemeral port range; recorder ports inside it can be taken by any outgoing socket (see the recording note). */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [min, max] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return min !== undefined && max !== undefined && min > 0 ? [min, max] : undefined;
  } catch {
    return undefined;
  }
}

function recordingPortProblems(v: { [K in keyof Variables]: VariableValue<K> }): string[] {
  const [min, max] = [v.RECORDING_MIN_PORT, v.RECORDING_MAX_PORT];
  if (max - min < 1) return [`RECORDING_MAX_PORT=${max} is invalid: expected at least RECORDING_MIN_PORT+1 (${min + 1})`];
  const overlaps = (a: number, b: number) => min <= b && a <= max;
  const clashes: string[] = [];
  if (overlaps(v.RTC_MIN_PORT, v.RTC_MAX_PORT)) clashes.push(`RTC_MIN_PORT..RTC_MAX_PORT (${v.RTC_MIN_PORT}-${v.RTC_MAX_PORT})`);
  if (v.RTC_PORT > 0 && overlaps(v.RTC_PORT, v.RTC_PORT + v.MEDIA_WORKERS - 1))
    clashes.push(`RTC_PORT+N (${v.RTC_PORT}-${v.RTC_PORT + v.MEDIA_WORKERS - 1})`);
  const ephemeral = ephemeralRange();
  if (ephemeral && overlaps(...ephemeral)) clashes.push(`the kernel's ephemeral ports (${ephemeral[0]}-${ephemeral[1]})`);
  return clashes.map((c) => `RECORDING_MIN_PORT..RECORDING_MAX_PORT (${min}-${max}) is invalid: it overlaps ${c}`);
}

type Variables = typeof variables;
type VariableValue<K extends keyof Variables> = Variables[K] extends Variable<infer T> ? T : never;

export type Config = {
  http: { port: number; host: string; publicUrl: string | undefined };
  redis: { url: string | undefined };
  dataDir: string;
  log: { level: (typeof logLevels)[number] };
  media: {
    workers: number;
    logLevel: (typeof mediaLogLevels)[number];
    listenIp: string;
    announcedIp: string | undefined;
    webRtcPort: number;
    minPort: number;
    maxPort: number;
  };
  auth: { jwtSecret: string | undefined; issuer: string; metricsToken: string | undefined };
  sessions: { reconnectGraceMs: number };
  signaling: { ratePerSecond: number };
  documents: {
    organisationP12: string | undefined;
    organisationP12Password: string | undefined;
    courtP12: string | undefined;
    courtP12Password: string | undefined;
  };
  recording: { minPort: number; maxPort: number; signingKeyPath: string | undefined };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const values: Partial<{ [K in keyof Variables]: VariableValue<K> }> = {};

  for (const name of Object.keys(variables) as (keyof Variables)[]) {
    const spec = variables[name] as Variable<unknown>;
    const raw = env[name];
    if (raw === undefined || raw === '') {
      (values as Record<string, unknown>)[name] = spec.fallback();
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) (values as Record<string, unknown>)[name] = parsed.data;
    // Secrets are never echoed back, even in an error.
    else
      problems.push(
        `${name}=${/SECRET|PASSWORD|TOKEN/.test(name) ? '<hidden>' : JSON.stringify(raw)} is invalid: expected ${spec.accepts}`,
      );
  }

  const v = values as { [K in keyof Variables]: VariableValue<K> };
  if (problems.length === 0 && v.RTC_MIN_PORT > v.RTC_MAX_PORT) {
    problems.push(`RTC_MAX_PORT=${v.RTC_MAX_PORT} is invalid: expected ${variables.RTC_MAX_PORT.accepts} (${v.RTC_MIN_PORT})`);
  }
  if (problems.length === 0) problems.push(...recordingPortProblems(v));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    http: { port: v.PORT, host: v.HOST, publicUrl: v.PUBLIC_URL?.replace(/\/+$/, '') },
    redis: { url: v.REDIS_URL },
    dataDir: v.DATA_DIR,
    log: { level: v.LOG_LEVEL },
    media: {
      workers: v.MEDIA_WORKERS,
      logLevel: v.MEDIA_LOG_LEVEL,
      listenIp: v.RTC_LISTEN_IP,
      announcedIp: v.RTC_ANNOUNCED_IP,
      webRtcPort: v.RTC_PORT,
      minPort: v.RTC_MIN_PORT,
      maxPort: v.RTC_MAX_PORT,
    },
    auth: { jwtSecret: v.JWT_SECRET, issuer: v.JWT_ISSUER, metricsToken: v.METRICS_TOKEN },
    sessions: { reconnectGraceMs: v.RECONNECT_GRACE_SECONDS * 1000 },
    signaling: { ratePerSecond: v.SIGNALING_RATE_LIMIT },
    documents: {
      organisationP12: v.ORG_SIGNING_P12,
      organisationP12Password: v.ORG_SIGNING_P12_PASSWORD,
      courtP12: v.COURT_SIGNING_P12,
      courtP12Password: v.COURT_SIGNING_P12_PASSWORD,
    },
    recording: { minPort: v.RECORDING_MIN_PORT, maxPort: v.RECORDING_MAX_PORT, signingKeyPath: v.RECORDING_SIGNING_KEY },
  };
}

/** For README and `--help`: every variable with what it accepts. */
export function describeVariables(): { name: string; accepts: string }[] {
  return Object.entries(variables).map(([name, spec]) => ({ name, accepts: spec.accepts }));
}
