import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Role, roles, SessionType, sessionTypes } from '../../signaling/index.js';
import { secretPath, TokenService } from '../auth/index.js';
import { type Config, ConfigError, loadConfig } from '../config/index.js';
import { verifyAuditFile, writeAuditExport } from './auditCommands.js';
import { runCertInit } from './certInit.js';
import { runDemoSeed } from './demoSeed.js';
import { printRecordingList } from './recordingCommands.js';
import { runSiteCommand, siteUsage } from './siteCommands.js';
import { RecordsUsageError, runUserCommand, userUsage } from './userCommands.js';
import { runVerifyPdf } from './verifyPdf.js';
import { verifyRecordingCommand } from './verifyRecording.js';

const usage = `Usage:
  courtlink session create --type <${sessionTypes.join('|')}> --title "<title>" [--scheduled-at <ISO time>]
  courtlink session list
  courtlink invite --session <id> --role <role> --name "<name>" [--ttl 2h]
  courtlink staff-token [--ttl 8h]      an administrator token for the /staff page
  courtlink audit export --session <id> [--out <file>]   the session's audit trail as JSON Lines
  courtlink verify-audit <file>         checks an exported audit trail's hash chain
  courtlink cert init [--force]         development signing certificates in DATA_DIR/certs
  courtlink verify <file.pdf>           check a signed agreement or ruling (exit 1 unless valid)
  courtlink staff-token [--ttl 8h] [--org <id>]   an administrator token for scripts (--org: for the back-office API)
${userUsage}
${siteUsage}
  courtlink demo seed                   fictional organisations, accounts, cases and a month of ledger (演示数据)
  courtlink verify <recording-dir> [--key <public.pem>]   check a recording's manifest signature and file hashes
  courtlink recording list --session <id>   a session's recordings, tracks and composite progress

Roles: ${roles.join(', ')}
TTL: a number with s, m, h or d (default 2h).

The CLI talks to the server at COURTLINK_URL (default: the PUBLIC_URL, or
http://HOST:PORT from the same configuration the server uses) and signs a
short-lived staff token with the server's secret (JWT_SECRET, or the one kept
in DATA_DIR/secrets).`;

class UsageError extends Error {}

export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--ttl "${text}" is not a duration like 90m, 2h or 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function serverUrl(config: Config): string {
  const fromEnv = process.env.COURTLINK_URL;
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  if (config.http.publicUrl) return config.http.publicUrl;
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
}

function staffToken(config: Config, ttlSeconds = 300, orgId?: string): string {
  let secret = config.auth.jwtSecret;
  if (!secret) {
    try {
      secret = readFileSync(secretPath(config.dataDir), 'utf8').trim();
    } catch {
      throw new Error(
        `no server secret at ${secretPath(config.dataDir)}: start the server once (npm start), or set JWT_SECRET and DATA_DIR as the server has them`,
      );
    }
  }
  return new TokenService(secret, config.auth.issuer).signStaff(
    { sub: 'cli', staffRole: 'admin', ...(orgId ? { orgId } : {}) },
    ttlSeconds,
  );
}

async function call(config: Config, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const text = await callText(config, method, path, body);
  return JSON.parse(text) as Record<string, unknown>;
}

async function callText(config: Config, method: string, path: string, body?: unknown): Promise<string> {
  const url = `${serverUrl(config)}/api${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken(config)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`cannot reach the CourtLink server at ${serverUrl(config)}; is it running (npm start)?`);
  }
  const text = await res.text();
  if (!res.ok) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      // not a catalogue answer
    }
    throw new Error(`${error?.code ?? res.status}: ${error?.message ?? res.statusText}`);
  }
  return text;
}

const valueOptions = ['type', 'title', 'scheduled-at', 'session', 'role', 'name', 'ttl', 'out', 'org', 'key'];

/**
 * `--session -abc` would read as two options to parseArgs; any value is
 * welcome after an option that takes one, so glue them as `--session=-abc`.
 */
export function joinOptionValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && valueOptions.includes(name) && i + 1 < argv.length) {
      joined.push(`${arg}=${argv[i + 1]}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export async function run(argv: string[], out: (line: string) => void): Promise<number | undefined> {
  // Back-office commands work on Redis directly (issue 11).
  if (argv[0] === 'user' && !argv.includes('--help')) {
    await runUserCommand(argv, loadConfig(process.env), out);
    return;
  }
  // Public services (issue 12): site import works on Redis directly too.
  if (argv[0] === 'sites') return runSiteCommand(argv, loadConfig(process.env), out);
  if (argv[0] === 'demo' && argv[1] === 'seed') {
    await runDemoSeed(loadConfig(process.env), out);
    return;
  }
  const { values, positionals } = parseArgs({
    args: joinOptionValues(argv),
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      title: { type: 'string' },
      'scheduled-at': { type: 'string' },
      session: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      out: { type: 'string' },
      org: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      force: { type: 'boolean' },
      key: { type: 'string' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    out(usage);
    return;
  }
  const config = loadConfig(process.env);

  if (command === 'session create') {
    const type = SessionType.safeParse(values.type);
    if (!type.success) throw new UsageError(`--type must be one of: ${sessionTypes.join(', ')}`);
    const body = {
      type: type.data,
      title: required(values, 'title'),
      ...(values['scheduled-at'] ? { scheduledAt: values['scheduled-at'] } : {}),
    };
    const { session } = (await call(config, 'POST', '/sessions', body)) as { session: { id: string } };
    out(session.id);
    return;
  }
  if (command === 'session list') {
    const { sessions } = (await call(config, 'GET', '/sessions')) as {
      sessions: { id: string; type: string; status: string; title: string }[];
    };
    for (const s of sessions) out(`${s.id}\t${s.type}\t${s.status}\t${s.title}`);
    return;
  }
  if (command === 'invite') {
    const role = Role.safeParse(values.role);
    if (!role.success) throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
    const body = { role: role.data, displayName: required(values, 'name'), ttlSeconds: parseTtl(values.ttl ?? '2h') };
    const invite = (await call(config, 'POST', `/sessions/${encodeURIComponent(required(values, 'session'))}/invites`, body)) as {
      url: string;
    };
    out(invite.url);
    return;
  }
  const target = positionals[1];
  if (positionals[0] === 'verify' && target && statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    await verifyRecordingCommand(target, values.key, config, out);
    return;
  }
  if (positionals[0] === 'verify' && positionals.length === 2 && positionals[1]?.endsWith('.pdf')) {
    if (!(await runVerifyPdf(positionals[1], config, out))) throw new Error('the document did not verify');
    return;
  }
  if (command === 'cert init') {
    runCertInit(config, values.force === true, out);
    return;
  }
  if (command === 'staff-token') {
    out(staffToken(config, parseTtl(values.ttl ?? '8h'), values.org));
    return;
  }
  if (command === 'recording list') {
    const path = `/sessions/${encodeURIComponent(required(values, 'session'))}/recordings`;
    printRecordingList((await call(config, 'GET', path)) as unknown as Parameters<typeof printRecordingList>[0], out);
    return;
  }
  if (command === 'audit export') {
    const jsonl = await callText(config, 'GET', `/sessions/${encodeURIComponent(required(values, 'session'))}/audit`);
    writeAuditExport(jsonl, values.out, out);
    return;
  }
  if (positionals[0] === 'verify-audit') {
    const file = positionals[1];
    if (!file || positionals.length > 2) throw new UsageError('verify-audit takes one file');
    return verifyAuditFile(file, out);
  }
  throw new UsageError(`unknown command "${command}"`);
}

export async function main(): Promise<void> {
  try {
    const code = await run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
    if (code) process.exitCode = code;
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : (err as Error).message;
    process.stderr.write(`courtlink: ${message}\n`);
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) process.stderr.write(`\n${usage}\n`);
    process.exit(err instanceof UsageError || err instanceof RecordsUsageError ? 64 : 1);
  }
}
