import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LoginSessions } from '../auth/LoginSessions.js';
import type { Config } from '../config/index.js';
import { createLogger } from '../log/index.js';
import { AccountStore, OrgStore, StaffRole, staffRoles, Username } from '../records/index.js';
import { connectRedis, type Redis, startRedisServer } from '../store/index.js';

export class RecordsUsageError extends Error {}

/** The port of a running embedded redis-server on this data dir, read from its pid file and command line. */
function runningEmbeddedRedis(dataDir: string): number | undefined {
  try {
    const pid = readFileSync(join(resolve(dataDir), 'redis', 'redis-server.pid'), 'utf8').trim();
    const args = readFileSync(`/proc/${Number.parseInt(pid, 10)}/cmdline`, 'utf8').split('\0');
    if (!args[0]?.includes('redis-server')) return undefined;
    const port = Number(args[args.indexOf('--port') + 1]);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` against the server's Redis: REDIS_URL when set; otherwise the
 * embedded redis-server of DATA_DIR (the running server's, or one started just
 * for this command and stopped after it).
 */
export async function withRecordsRedis<T>(config: Config, work: (redis: Redis) => Promise<T>): Promise<T> {
  const log = createLogger('silent');
  const port = config.redis.url ? undefined : runningEmbeddedRedis(config.dataDir);
  const embedded = config.redis.url || port ? undefined : await startRedisServer({ dir: join(resolve(config.dataDir), 'redis') });
  const url = config.redis.url ?? (port ? `redis://127.0.0.1:${port}` : (embedded?.url as string));
  const redis = await connectRedis(url, log);
  try {
    return await work(redis);
  } finally {
    await redis.quit();
    await embedded?.stop();
  }
}

/** A password shown once, for the administrator to pass on. */
export function generatedPassword(): string {
  return randomBytes(12).toString('base64url');
}

const usage = `  courtlink user add --username <name> --name "<display name>" --role <${staffRoles.join('|')}> (--org <id> | --org-name "<new district centre>")
  courtlink user list
  courtlink user disable --username <name>`;
export const userUsage = usage;

export async function runUserCommand(argv: string[], config: Config, out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string' },
      'org-name': { type: 'string' },
    },
  });
  const command = positionals.slice(1).join(' ');
  await withRecordsRedis(config, async (redis) => {
    const accounts = new AccountStore(redis);
    const orgs = new OrgStore(redis);
    if (command === 'add') {
      const username = Username.safeParse(values.username);
      if (!username.success) throw new RecordsUsageError(`--username: ${username.error.issues[0]?.message}`);
      const role = StaffRole.safeParse(values.role);
      if (!role.success) throw new RecordsUsageError(`--role must be one of: ${staffRoles.join(', ')}`);
      let orgId = values.org;
      if (!orgId && values['org-name']) orgId = (await orgs.createOrg({ name: values['org-name'], kind: 'district_centre' })).id;
      if (!orgId || !(await orgs.getOrg(orgId)))
        throw new RecordsUsageError('--org <id> of an existing organisation, or --org-name to create one, is required');
      const password = generatedPassword();
      const account = await accounts.create({
        username: username.data,
        displayName: values.name?.trim() || username.data,
        staffRole: role.data,
        orgId,
        password,
      });
      out(`created ${account.username} (${account.staffRole}) in organisation ${orgId}`);
      out(`password (shown once): ${password}`);
      return;
    }
    if (command === 'list') {
      const all = await accounts.list((await orgs.listOrgs()).map((o) => o.id));
      for (const a of all) out(`${a.username}\t${a.staffRole}\t${a.orgId}\t${a.disabled ? 'disabled' : 'active'}\t${a.displayName}`);
      return;
    }
    if (command === 'disable') {
      const account = await accounts.findByUsername(values.username ?? '');
      if (!account) throw new RecordsUsageError(`no account "${values.username ?? ''}"`);
      await accounts.setDisabled(account.id, true);
      await new LoginSessions(redis).destroyAll(account.id);
      out(`disabled ${account.username}; their sign-ins have ended`);
      return;
    }
    throw new RecordsUsageError(`unknown command "user ${command}"`);
  });
}
