import { describe, expect, it } from 'vitest';
import { legalAidLine, workOrderLine } from '../../server/intake/intakeLedger.js';
import type { LegalAidApplication } from '../../server/intake/LegalAid.js';
import type { WorkOrder } from '../../server/intake/WorkOrders.js';
import { editableOutcomes, LedgerEntry } from '../../server/records/schemas.js';
import { computeStatistics } from '../../server/records/statistics.js';

const at = '2026-04-02T03:00:00.000Z';
const order = (status: WorkOrder['status'], resolved = true): WorkOrder => ({
  id: 'order0000001',
  orgId: 'org000000001',
  externalRef: 'T-1001',
  caller: { name: '赵热线', phone: '13512345678' },
  category: 'consultation',
  summary: '咨询。',
  status,
  ...(status === 'case' ? { resultRef: 'case00000001' } : {}),
  ...(resolved ? { resolution: { at, by: 'acct00000001', orgId: 'org000000002', siteId: 'site00000001' } } : {}),
  createdAt: at,
});

describe('ledger lines of services given without a session (issue 12)', () => {
  it('writes one masked line per resolved work order, keyed by its id, with the resolution as outcome', () => {
    expect(workOrderLine(order('new'))).toBeUndefined();
    expect(workOrderLine(order('answered', false))).toBeUndefined();
    const outcomes = (['case', 'booking', 'answered'] as const).map((s) => workOrderLine(order(s))?.outcome);
    expect(outcomes).toEqual(['case_opened', 'consultation_booked', 'answered']);
    const line = LedgerEntry.parse({ ...workOrderLine(order('case')), writtenAt: at });
    expect(line).toMatchObject({
      sessionId: 'wo_order0000001',
      orgId: 'org000000002',
      type: 'work_order',
      source: 'work_order',
      referenceId: 'order0000001',
      caseId: 'case00000001',
      siteIds: ['site00000001'],
      durationSeconds: 0,
    });
    expect(JSON.stringify(line)).not.toMatch(/赵热线|13512345678/);
  });

  it('writes a granted or refused legal-aid line without the reason or the code', () => {
    const application: LegalAidApplication = {
      id: 'appl00000001',
      code: 'ABCDEFGHJK',
      orgId: 'org000000001',
      siteId: 'site00000001',
      applicant: { name: '孙申请', phone: '13312345678' },
      matter: '欠薪。',
      incomeBand: 'low_income',
      consent: true,
      status: 'rejected',
      reason: '王某某的收入超过标准。',
      decidedBy: 'acct00000001',
      decision: { at, orgId: 'org000000001' },
      createdAt: at,
    };
    expect(legalAidLine({ ...application, status: 'submitted' })).toBeUndefined();
    const refused = legalAidLine(application);
    expect(refused).toMatchObject({
      sessionId: 'la_appl00000001',
      outcome: 'aid_refused',
      participants: [{ role: 'applicant', name: '孙**' }],
    });
    expect(JSON.stringify(refused)).not.toMatch(/ABCDEFGHJK|王某某|孙申请|13312345678/);
    expect(legalAidLine({ ...application, status: 'accepted', caseId: 'case00000001' })?.outcome).toBe('aid_granted');
  });

  it('counts every line by type and outcome, and averages durations over sessions only', () => {
    const base = { orgId: 'org000000001', siteIds: [], participants: [], recordingIds: [], agreementIds: [], rulingIds: [], writtenAt: at };
    const lines = [
      LedgerEntry.parse({
        ...base,
        sessionId: 's1',
        type: 'mediation',
        startedAt: at,
        endedAt: at,
        durationSeconds: 600,
        outcome: 'agreement_reached',
      }),
      LedgerEntry.parse({ ...workOrderLine(order('answered')), writtenAt: at }),
      LedgerEntry.parse({
        ...base,
        sessionId: 'bk_1',
        type: 'consultation',
        source: 'consultation',
        startedAt: at,
        endedAt: at,
        durationSeconds: 0,
        outcome: 'no_show',
      }),
    ];
    const stats = computeStatistics('2026-04', lines, new Map(), new Map());
    expect(stats.total).toEqual({ count: 3, decided: 3, succeeded: 2, successRate: 0.6667, averageDurationSeconds: 600 });
    expect(stats.byType.work_order).toEqual({ count: 1, decided: 1, succeeded: 1, successRate: 1, averageDurationSeconds: 0 });
    expect(stats.byOutcome).toEqual({ agreement_reached: 1, answered: 1, no_show: 1 });
  });

  it('lets staff set by hand only the outcomes that fit a line', () => {
    expect(editableOutcomes({ source: 'work_order', type: 'work_order' })).toEqual([]);
    expect(editableOutcomes({ source: 'legal_aid', type: 'legal_aid' })).toEqual([]);
    expect(editableOutcomes({ source: 'session', type: 'consultation' })).toEqual(['consultation_completed', 'no_show']);
    expect(editableOutcomes({ source: 'session', type: 'mediation' })).toContain('agreement_reached');
  });
});
