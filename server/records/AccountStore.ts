import { CourtLinkError } from '../../signaling/index.js';
import { hashPassword } from '../auth/accountsPassword.js';
import type { Redis } from '../store/index.js';
import { recordId } from './ids.js';
import { readJson, readJsonMany } from './redisJson.js';
import { type Account, type NewAccount, StoredAccount } from './schemas.js';

const keys = {
  account: (id: string) => `cl:account:${id}`,
  byUsername: 'cl:accounts:by-username',
  orgAccounts: (orgId: string) => `cl:org:${orgId}:accounts`,
};

function publicView({ passwordHash: _hash, ...account }: StoredAccount): Account {
  return account;
}

/** Staff accounts. A user name is unique across the installation (HSETNX claims it atomically). */
export class AccountStore {
  constructor(private readonly redis: Redis) {}

  async create(input: NewAccount): Promise<Account> {
    const stored = StoredAccount.parse({
      id: recordId(),
      username: input.username,
      displayName: input.displayName,
      staffRole: input.staffRole,
      orgId: input.orgId,
      disabled: false,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword(input.password),
    });
    const claimed = await this.redis.hSetNX(keys.byUsername, stored.username, stored.id);
    if (!claimed) throw new CourtLinkError('CONFLICT', 'That user name is taken.');
    await this.redis.multi().set(keys.account(stored.id), JSON.stringify(stored)).sAdd(keys.orgAccounts(stored.orgId), stored.id).exec();
    return publicView(stored);
  }

  async getStored(id: string): Promise<StoredAccount | undefined> {
    return readJson(this.redis, keys.account(id), StoredAccount);
  }

  async get(id: string): Promise<Account | undefined> {
    const stored = await this.getStored(id);
    return stored && publicView(stored);
  }

  async findByUsername(username: string): Promise<StoredAccount | undefined> {
    const id = await this.redis.hGet(keys.byUsername, username);
    return id ? this.getStored(id) : undefined;
  }

  async count(): Promise<number> {
    return this.redis.hLen(keys.byUsername);
  }

  async list(orgIds: Iterable<string>): Promise<Account[]> {
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.sMembers(keys.orgAccounts(o))))).flat();
    return (await readJsonMany(this.redis, ids.map(keys.account), StoredAccount))
      .map(publicView)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async setDisabled(id: string, disabled: boolean): Promise<Account> {
    const stored = await this.getStored(id);
    if (!stored) throw new CourtLinkError('NOT_FOUND', 'No such account.');
    const next = { ...stored, disabled };
    await this.redis.set(keys.account(id), JSON.stringify(next));
    return publicView(next);
  }
}
