import { randomBytes } from 'node:crypto';
import type { BackOffice } from '../../server/http/backOfficeApi.js';

/** Unique per run, so files sharing the suite's Redis never collide on user names or case numbers. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export type Answer<T = Record<string, unknown>> = { status: number; body: T; text: string; headers: Headers };

/** A staff member's browser, reduced to a cookie jar of one cookie. */
export class StaffClient {
  cookie: string | undefined;
  setCookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/auth/login', { username, password });
    const set = answer.headers.get('set-cookie');
    if (answer.status === 200 && set) {
      this.setCookie = set;
      this.cookie = set.split(';')[0];
    }
    return answer;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV or PDF
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }
}

export type OrgTree = {
  district: string;
  township: string;
  other: string;
  villageSite: string;
  otherSite: string;
  password: string;
  users: { admin: string; mediator: string; townshipMediator: string; otherMediator: string; secondMediator: string };
  ids: { admin: string; mediator: string; townshipMediator: string; otherMediator: string; secondMediator: string };
};

/** A district centre with one township station below it, an unrelated centre, a site each and the accounts the tests sign in with. */
export async function seedOrgTree(office: BackOffice): Promise<OrgTree> {
  const district = await office.orgs.createOrg({ name: uniqueName('示例区公共法律服务中心'), kind: 'district_centre' });
  const township = await office.orgs.createOrg({ name: uniqueName('示例镇法律服务站'), kind: 'township_station', parentId: district.id });
  const other = await office.orgs.createOrg({ name: uniqueName('另一区中心'), kind: 'district_centre' });
  const villageSite = await office.orgs.createSite({
    name: '示例村, "东头" 法律服务室',
    kind: 'village_room',
    orgId: township.id,
    address: '示例镇示例村1号',
    longitude: 116.4,
    latitude: 39.9,
  });
  const otherSite = await office.orgs.createSite({
    name: '另一村法律服务室',
    kind: 'village_room',
    orgId: other.id,
    address: '另一村',
    longitude: 120,
    latitude: 30,
  });
  const password = 'correct horse battery';
  const make = async (prefix: string, staffRole: 'admin' | 'mediator', orgId: string) => {
    const username = uniqueName(prefix);
    const account = await office.accounts.create({ username, displayName: `示例${prefix}`, staffRole, orgId, password });
    return { username, id: account.id };
  };
  const admin = await make('admin', 'admin', district.id);
  const mediator = await make('med', 'mediator', district.id);
  const townshipMediator = await make('town', 'mediator', township.id);
  const otherMediator = await make('other', 'mediator', other.id);
  const secondMediator = await make('second', 'mediator', district.id);
  return {
    district: district.id,
    township: township.id,
    other: other.id,
    villageSite: villageSite.id,
    otherSite: otherSite.id,
    password,
    users: {
      admin: admin.username,
      mediator: mediator.username,
      townshipMediator: townshipMediator.username,
      otherMediator: otherMediator.username,
      secondMediator: secondMediator.username,
    },
    ids: {
      admin: admin.id,
      mediator: mediator.id,
      townshipMediator: townshipMediator.id,
      otherMediator: otherMediator.id,
      secondMediator: secondMediator.id,
    },
  };
}

export function newCase(tree: OrgTree, caseNumber = uniqueName('（2026）示调字')) {
  return {
    caseNumber,
    disputeType: 'neighbourhood',
    parties: [
      { name: '王示例', side: '申请人', phone: '13812345678', idNumber: '11010119900101123X' },
      { name: '李演示', side: '被申请人', phone: '13987654321', idNumber: '110101198505054321' },
    ],
    mediatorId: tree.ids.mediator,
    siteId: tree.villageSite,
  };
}
