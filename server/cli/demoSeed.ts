import type { SessionType } from '../../signaling/index.js';
import { AuditTrail } from '../audit/index.js';
import type { Config } from '../config/index.js';
import { recordId } from '../records/ids.js';
import { AccountStore, CaseStore, LedgerStore, OrgStore, type Outcome, type Site, type StaffRole } from '../records/index.js';
import { type SessionRecord, SessionStore } from '../sessions/index.js';
import { generatedPassword, RecordsUsageError, withRecordsRedis } from './userCommands.js';

const marker = 'cl:demo:seeded';
const tag = '（演示数据）';

/** A small deterministic generator, so every seeded month looks the same. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * `courtlink demo seed`: clearly fictional data (示例, 演示数据) to try the back office:
 * a district centre with 3 township stations and 10 village rooms, a court, a
 * correctional office, an account per role, cases, and a month of finished sessions in the ledger.
 */
export async function runDemoSeed(config: Config, out: (line: string) => void): Promise<void> {
  await withRecordsRedis(config, async (redis) => {
    if (await redis.exists(marker)) throw new RecordsUsageError('demo data is already seeded in this Redis');
    const orgs = new OrgStore(redis);
    const accounts = new AccountStore(redis);
    const cases = new CaseStore(redis);
    const ledger = new LedgerStore(redis);
    const sessions = new SessionStore(redis);
    const audit = new AuditTrail(redis);
    const random = sequence(20261121);

    const district = await orgs.createOrg({ name: `示例区公共法律服务中心${tag}`, kind: 'district_centre' });
    const court = await orgs.createOrg({ name: `示例区人民法院${tag}`, kind: 'court' });
    const correctional = await orgs.createOrg({ name: `示例区司法局社区矫正科${tag}`, kind: 'correctional_office' });
    const townships = await Promise.all(
      ['东', '西', '南'].map((d) =>
        orgs.createOrg({ name: `示例${d}镇法律服务站${tag}`, kind: 'township_station', parentId: district.id }),
      ),
    );
    const site = (name: string, kind: Site['kind'], orgId: string, i: number) =>
      orgs.createSite({ name, kind, orgId, address: `示例区示例路${i + 1}号`, longitude: 116.3 + i * 0.01, latitude: 39.9 + i * 0.01 });
    const centreSite = await site(`示例区中心调解室${tag}`, 'district_centre', district.id, 0);
    const villages: Site[] = [];
    for (let i = 0; i < 10; i++) {
      const township = townships[i % 3]!;
      villages.push(await site(`示例${i + 1}村法律服务室${tag}`, 'village_room', township.id, i + 1));
    }
    await site(`示例区人民法院诉讼服务中心${tag}`, 'court', court.id, 20);
    await site(`示例区社区矫正中心${tag}`, 'correctional_site', correctional.id, 21);

    const people: [string, string, StaffRole, string][] = [
      ['demo-admin', '示例管理员', 'admin', district.id],
      ['demo-mediator', '示例调解员', 'mediator', district.id],
      ['demo-township', '示例镇调解员', 'mediator', townships[0]!.id],
      ['demo-court', '示例法官', 'court_staff', court.id],
      ['demo-officer', '示例矫正工作人员', 'correctional_officer', correctional.id],
      ['demo-lawyer', '示例律师', 'lawyer', district.id],
    ];
    out('Demo accounts (development passwords, shown once):');
    const ids: Record<string, string> = {};
    for (const [username, displayName, staffRole, orgId] of people) {
      const password = generatedPassword();
      ids[username] = (await accounts.create({ username, displayName, staffRole, orgId, password })).id;
      out(`  ${username}\t${staffRole}\t${password}`);
    }

    const disputes = ['neighbourhood', 'family', 'unpaid_wages', 'traffic_accident', 'land_contract', 'general'] as const;
    const outcomes: Outcome[] = ['agreement_reached', 'agreement_reached', 'no_agreement', 'adjourned', 'confirmed'];
    const now = Date.now();
    for (let i = 0; i < 24; i++) {
      const village = villages[i % villages.length]!;
      const record = await cases.create(
        district.id,
        {
          caseNumber: `（2026）示调字第${String(i + 1).padStart(3, '0')}号`,
          disputeType: disputes[i % disputes.length]!,
          parties: [
            { name: `示例甲${i + 1}`, side: '申请人', phone: `1380000${String(1000 + i)}`, idNumber: `11010119900101${String(1000 + i)}` },
            {
              name: `示例乙${i + 1}`,
              side: '被申请人',
              phone: `1390000${String(1000 + i)}`,
              idNumber: `11010119850505${String(2000 + i)}`,
            },
          ],
          mediatorId: ids['demo-mediator']!,
          siteId: village.id,
        },
        ids['demo-admin']!,
      );
      const type: SessionType = i % 6 === 5 ? 'visit' : 'mediation';
      const startedAt = new Date(now - (i + 1) * 30 * 3600_000).toISOString();
      const minutes = 20 + Math.floor(random() * 70);
      const sessionId = recordId();
      // A finished demo session: its record and index entry, written with its first audit entry as every session is.
      const demoSession: SessionRecord = {
        id: sessionId,
        type,
        title: `${record.caseNumber} ${tag}`,
        status: 'ended',
        locked: false,
        autoAdmitRoles: [],
        recording: false,
        createdAt: startedAt,
        scheduledAt: startedAt,
        orgId: district.id,
        caseId: record.id,
        siteId: village.id,
        caucuses: [],
        startedAt,
      };
      await audit.append(
        { type: 'session.created', sessionId, at: startedAt, actor: { kind: 'system', reason: 'demo-seed' }, data: { type } },
        sessions.creationWrites(demoSession),
      );
      await cases.addSession(record, sessionId, startedAt);
      await ledger.write({
        sessionId,
        orgId: village.orgId,
        type,
        caseId: record.id,
        caseNumber: record.caseNumber,
        mediatorId: ids['demo-mediator']!,
        siteIds: [village.id, ...(i % 4 === 0 ? [centreSite.id] : [])],
        participants: [
          { role: 'mediator', name: '示****' },
          { role: 'party', name: '示**' },
          { role: 'party', name: '示**' },
        ],
        startedAt,
        endedAt: new Date(Date.parse(startedAt) + minutes * 60_000).toISOString(),
        durationSeconds: minutes * 60,
        recordingIds: [],
        agreementIds: [],
        rulingIds: [],
        outcome: type === 'visit' ? 'visit_completed' : outcomes[Math.floor(random() * outcomes.length)]!,
      });
    }
    await redis.set(marker, new Date().toISOString());
    out(
      `Seeded ${tag}: 1 district centre, 3 township stations, 10 village rooms, a court, a correctional office, 24 cases and their finished sessions.`,
    );
  });
}
