import {
  type AgreementView,
  authorize,
  CourtLinkError,
  type DomainEvent,
  type DomainEventDataOf,
  type EventActor,
  jointRoom,
  type RequestOf,
  type SessionDraft,
} from '../../signaling/index.js';
import type { StateWrite } from '../audit/index.js';
import { assertPrintable, normalizeSignaturePng } from '../documents/index.js';
import type { SessionContext } from '../sessions/SessionContext.js';
import type { AgreementDeps } from './AgreementDeps.js';
import { finalizeAgreement, recordDecision } from './AgreementDocuments.js';
import { type AgreementRecord, agreementPolicy, emptyAgreement, viewFor } from './AgreementRecord.js';

type AgreementEventType =
  | 'agreement.edited'
  | 'agreement.clauseConfirmed'
  | 'agreement.signed'
  | 'agreement.finalized'
  | 'court.called'
  | 'court.joined'
  | 'court.decided';

/** Every string of a draft, for the font check at edit time (the mediator learns at once, not at finalize). */
function draftTexts(d: SessionDraft): string[] {
  return [
    d.caseNumber,
    d.facts,
    d.mediator.name,
    d.mediator.organisation,
    ...d.parties.flatMap((p) => [p.name, p.address, p.idNumber, p.phone]),
    ...d.terms.map((t) => t.text),
  ];
}

/** Clauses added, changed or removed between two versions. */
function changedClauses(before: SessionDraft | null, after: SessionDraft): string[] {
  const old = new Map((before?.terms ?? []).map((t) => [t.id, t.text]));
  const changed = after.terms.filter((t) => old.get(t.id) !== t.text).map((t) => t.id);
  const removed = [...old.keys()].filter((id) => !after.terms.some((t) => t.id === id));
  return [...changed, ...removed];
}

/** 10.20.30.41 → 10.20.*.*; IPv6 keeps its first two groups. For log lines only; the attestation keeps the address. */
export function maskIp(ip: string): string {
  if (ip.includes('.')) return ip.split('.').slice(0, 2).concat('*', '*').join('.');
  return `${ip.split(':').slice(0, 2).join(':')}:*`;
}

/**
 * The mediation agreement inside a session (a LiveSession slice): the host
 * mediator drafts, the parties confirm clause by clause and sign on their own
 * line, the mediator finalizes into a signed PDF and may call the court, and
 * court staff decide on judicial confirmation. Each step is a domain event
 * whose commit also writes the whole agreement record.
 */
export class AgreementDrafting {
  private record: AgreementRecord = emptyAgreement();

  constructor(
    private readonly ctx: SessionContext,
    private readonly deps: AgreementDeps | undefined,
  ) {
    ctx.core.on('event', (event) => this.notify(event));
  }

  async restore(): Promise<void> {
    if (!this.deps) return;
    this.record = await this.deps.store.load(this.ctx.core.id);
    this.ctx.core.agreementPolicy = agreementPolicy(this.record);
  }

  view(seatId: string): AgreementView {
    const seat = this.ctx.core.seats.get(seatId);
    // The drafting panel belongs to the joint room; a party in a caucus sees it when back.
    if (!seat || (seat.location !== jointRoom && !this.ctx.view.seesWaiting(seat)))
      throw new CourtLinkError('CONFLICT', 'The agreement is shown in the joint room.');
    return this.viewFor(seatId);
  }

  documents(): AgreementView['documents'] {
    return this.record.documents;
  }

  courtSeatOf(accountId: string): string | undefined {
    return this.record.courtSeats[accountId];
  }

  async edit(seatId: string, { version, draft }: RequestOf<'agreement:edit'>): Promise<number> {
    const { core } = this.ctx;
    core.authorize(seatId, 'edit_agreement');
    this.require();
    if (this.record.agreementSha256) throw new CourtLinkError('CONFLICT', 'The agreement is already signed and finalized.');
    if (version !== this.record.version)
      throw new CourtLinkError('CONFLICT', `The draft changed meanwhile (version ${this.record.version}); reload and edit again.`);
    for (const party of draft.parties) {
      const seat = core.seats.get(party.seatId);
      if (seat?.role !== 'party')
        throw new CourtLinkError('INVALID_PAYLOAD', `Party ${party.id} must sign through a party seat of this session.`);
    }
    assertPrintable(draftTexts(draft));
    const changed = changedClauses(this.record.draft, draft);
    const confirmations = Object.fromEntries(
      draft.terms.map((t) => [t.id, changed.includes(t.id) ? [] : (this.record.confirmations[t.id] ?? [])]),
    );
    // Signatures are given to one version; a new version needs them again.
    const next: AgreementRecord = { ...this.record, version: version + 1, draft, confirmations, signatures: {} };
    await this.commit(core.eventActor(seatId), next, 'agreement.edited', {
      version: next.version,
      parties: draft.parties.length,
      clauses: draft.terms.length,
      changedClauses: changed,
    });
    return next.version;
  }

  async confirmClause(seatId: string, { clauseId, version }: RequestOf<'agreement:confirmClause'>): Promise<void> {
    const { core } = this.ctx;
    core.authorize(seatId, 'sign', seatId);
    const draft = this.currentDraft(version);
    this.partyOf(draft, seatId);
    if (!draft.terms.some((t) => t.id === clauseId)) throw new CourtLinkError('NOT_FOUND', 'No such clause in the agreement.');
    const confirmed = this.record.confirmations[clauseId] ?? [];
    if (confirmed.includes(seatId)) return;
    const next = { ...this.record, confirmations: { ...this.record.confirmations, [clauseId]: [...confirmed, seatId] } };
    await this.commit(core.eventActor(seatId), next, 'agreement.clauseConfirmed', { seatId, clauseId, version });
  }

  async sign(seatId: string, { version, png }: RequestOf<'agreement:sign'>, ip: string): Promise<void> {
    const { core, log } = this.ctx;
    core.authorize(seatId, 'sign', seatId);
    const draft = this.currentDraft(version);
    const party = this.partyOf(draft, seatId);
    if (this.record.signatures[party.id]) throw new CourtLinkError('CONFLICT', 'You have already signed this agreement.');
    const unconfirmed = draft.terms.filter((t) => !(this.record.confirmations[t.id] ?? []).includes(seatId));
    if (unconfirmed.length > 0)
      throw new CourtLinkError('CONFLICT', `Confirm every clause before signing (${unconfirmed.length} not yet confirmed).`);
    const normalized = normalizeSignaturePng(Buffer.from(png, 'base64'));
    const signedAt = new Date().toISOString();
    const signature = { seatId, signedAt, ip, png: Buffer.from(normalized).toString('base64'), version };
    const next = { ...this.record, signatures: { ...this.record.signatures, [party.id]: signature } };
    await this.commit(core.eventActor(seatId), next, 'agreement.signed', {
      seatId,
      partyId: party.id,
      name: party.name,
      idLast4: party.idNumber.slice(-4),
      ip,
      signedAt,
      version,
    });
    log.info({ seatId, partyId: party.id, ip: maskIp(ip) }, 'agreement signed');
  }

  async finalize(seatId: string): Promise<AgreementView['documents'][number]> {
    const { core } = this.ctx;
    core.authorize(seatId, 'edit_agreement');
    const deps = this.require();
    const draft = this.record.draft;
    if (!draft) throw new CourtLinkError('CONFLICT', 'There is no agreement to finalize.');
    if (this.record.agreementSha256) throw new CourtLinkError('CONFLICT', 'The agreement is already finalized.');
    const missing = draft.parties.filter((p) => !this.record.signatures[p.id]);
    if (missing.length > 0) throw new CourtLinkError('CONFLICT', `Not every party has signed (${missing.length} missing).`);
    const { info, event } = await finalizeAgreement(core.id, draft, this.record, deps);
    const next = { ...this.record, documents: [...this.record.documents, info], agreementSha256: info.sha256 };
    await this.commit(core.eventActor(seatId), next, 'agreement.finalized', event, [deps.store.documentWrite(info)]);
    return info;
  }

  async callCourt(seatId: string): Promise<void> {
    const { core } = this.ctx;
    core.authorize(seatId, 'call_court');
    const deps = this.require();
    if (!this.record.draft) throw new CourtLinkError('CONFLICT', 'Draft the agreement before calling the court.');
    if (this.record.courtCalled) throw new CourtLinkError('CONFLICT', 'The court has already been called.');
    await this.commit(core.eventActor(seatId), { ...this.record, courtCalled: true }, 'court.called', {}, [
      deps.store.courtCallWrite(core.id),
    ]);
  }

  /** A court staff member answering the call through the REST API got this seat. */
  async courtJoined(actor: EventActor, accountId: string, seatId: string): Promise<void> {
    if (this.record.courtSeats[accountId] === seatId) return;
    const next = { ...this.record, courtSeats: { ...this.record.courtSeats, [accountId]: seatId } };
    await this.commit(actor, next, 'court.joined', { seatId, accountId });
  }

  async decide(seatId: string, payload: RequestOf<'court:decide'>): Promise<AgreementView['documents'][number]> {
    const { core } = this.ctx;
    core.authorize(seatId, 'confirm');
    const deps = this.require();
    const draft = this.record.draft;
    if (!draft || !this.record.agreementSha256) throw new CourtLinkError('CONFLICT', 'Only a signed agreement can be confirmed.');
    if (this.record.decision) throw new CourtLinkError('CONFLICT', 'The court has already decided on this agreement.');
    const judge = core.seats.get(seatId)?.displayName ?? '';
    const { info, event } = await recordDecision(core.id, draft, this.record.agreementSha256, judge, payload, deps);
    const at = new Date().toISOString();
    const decision = { confirmed: payload.confirmed, ...(payload.reason && !payload.confirmed ? { reason: payload.reason } : {}), at };
    const next = { ...this.record, documents: [...this.record.documents, info], decision };
    await this.commit(core.eventActor(seatId), next, 'court.decided', event, [deps.store.documentWrite(info)]);
    return info;
  }

  // ---- internals -----------------------------------------------------------------------

  private require(): AgreementDeps {
    if (!this.deps) throw new CourtLinkError('UNAVAILABLE', 'Agreements are not available on this server.');
    return this.deps;
  }

  private currentDraft(version: number): SessionDraft {
    const draft = this.record.draft;
    if (!draft) throw new CourtLinkError('CONFLICT', 'There is no agreement draft yet.');
    if (this.record.agreementSha256) throw new CourtLinkError('CONFLICT', 'The agreement is already finalized.');
    if (version !== this.record.version)
      throw new CourtLinkError('CONFLICT', `The draft changed meanwhile (version ${this.record.version}); read it again.`);
    return draft;
  }

  private partyOf(draft: SessionDraft, seatId: string): SessionDraft['parties'][number] {
    const party = draft.parties.find((p) => p.seatId === seatId);
    if (!party) throw new CourtLinkError('FORBIDDEN', 'You are not a party to this agreement.');
    return party;
  }

  private async commit<T extends AgreementEventType>(
    actor: EventActor,
    next: AgreementRecord,
    type: T,
    data: DomainEventDataOf<T>,
    extra: StateWrite[] = [],
  ): Promise<void> {
    const { core } = this.ctx;
    const store = this.require().store;
    const before = this.record;
    // Set first: subscribers notified during the commit must see the new state.
    this.record = next;
    try {
      await core.commit(actor, type, data, { writes: [store.write(core.id, next), ...extra] });
    } catch (err) {
      this.record = before;
      throw err;
    }
    core.agreementPolicy = agreementPolicy(next);
  }

  /** Everyone admitted in the joint room gets the new state; people coming back from a caucus get it on return. */
  private notify(event: DomainEvent): void {
    const { presence } = this.ctx;
    const inJoint = (seat: { state: string; location: string }) => seat.state === 'admitted' && seat.location === jointRoom;
    if (event.type.startsWith('agreement.') || event.type.startsWith('court.')) {
      if (event.type === 'court.joined') return;
      presence.notifyEachWhere(inJoint, 'agreement:updated', (seat) => this.viewFor(seat.seatId));
    } else if (event.type === 'caucus.moved' && event.data.roomId === jointRoom && this.record.draft) {
      const moved = new Set(event.data.seatIds);
      presence.notifyEachWhere(
        (seat) => moved.has(seat.seatId) && inJoint(seat),
        'agreement:updated',
        (seat) => this.viewFor(seat.seatId),
      );
    }
  }

  private viewFor(seatId: string): AgreementView {
    const { core } = this.ctx;
    const seesDetails = authorize(core.actorOf(seatId), 'see_party_details', undefined, core.policyState()).allowed;
    return viewFor(this.record, seatId, seesDetails);
  }
}
