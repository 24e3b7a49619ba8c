import { CourtLinkError } from '../../signaling/index.js';
import type { StaffActor } from '../auth/staffActor.js';
import type { CaseStore } from './CaseStore.js';
import type { OrgStore } from './OrgStore.js';
import type { CaseRecord } from './schemas.js';

/**
 * Who sees what. An account sees its own organisation and the ones below it.
 * Another organisation's case answers 404, not 403, so ids cannot be probed
 * to learn that a case exists.
 */
export class RecordAccess {
  constructor(
    private readonly orgs: OrgStore,
    private readonly cases: CaseStore,
  ) {}

  visibleOrgs(actor: StaffActor): Promise<Set<string>> {
    return this.orgs.subtree(actor.orgId);
  }

  async requireOrg(actor: StaffActor, orgId: string): Promise<void> {
    if (!(await this.visibleOrgs(actor)).has(orgId)) throw new CourtLinkError('NOT_FOUND', 'No such organisation.');
  }

  async requireCase(actor: StaffActor, caseId: string): Promise<CaseRecord> {
    const record = await this.cases.get(caseId);
    if (!record || !(await this.visibleOrgs(actor)).has(record.orgId)) throw new CourtLinkError('NOT_FOUND', 'No such case.');
    return record;
  }
}
