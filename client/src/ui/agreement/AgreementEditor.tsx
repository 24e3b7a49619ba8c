import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DisputeType, disputeTypes, type Participant, type SessionDraft } from '../../../../signaling/index.js';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

type Party = SessionDraft['parties'][number];

/** The free-text lines of a party, with the contract's limits (signaling/agreement.ts). */
const partyTextFields = [
  { field: 'idNumber', maxLength: 32, type: 'text' },
  { field: 'address', maxLength: 200, type: 'text' },
  { field: 'phone', maxLength: 20, type: 'tel' },
] as const;

/** Party lines for the party seats in the room, their names and sides taken from the seats. */
function partiesFromSeats(seats: Participant[]): Party[] {
  return seats.map((seat, i) => ({
    id: `p${i + 1}`,
    seatId: seat.seatId,
    name: seat.displayName,
    idNumber: '',
    address: '',
    phone: '',
    side: seat.side === 'respondent' || (!seat.side && i > 0) ? '被申请人' : '申请人',
  }));
}

function startingDraft(room: RoomSnapshot): SessionDraft {
  const existing = room.agreement?.draft;
  if (existing) return existing;
  const partySeats = [room.you, ...room.participants].filter((p): p is Participant => p?.role === 'party');
  return {
    caseNumber: '',
    disputeType: 'general',
    parties: partiesFromSeats(partySeats),
    facts: '',
    terms: [{ id: 't1', text: '' }],
    mediator: { name: room.you?.displayName ?? '', organisation: '' },
  };
}

/** The host mediator's form: template (dispute type), number, parties, facts and terms; each save is a new version. */
export function AgreementEditor({ client, room, onError }: { client: RoomClient; room: RoomSnapshot; onError(err: unknown): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<SessionDraft>(() => startingDraft(room));
  const [saved, setSaved] = useState<number>();
  const set = (change: Partial<SessionDraft>) => setDraft({ ...draft, ...change });
  const setParty = (i: number, change: Partial<Party>) =>
    set({ parties: draft.parties.map((p, j) => (j === i ? { ...p, ...change } : p)) });
  const setTerm = (i: number, text: string) => set({ terms: draft.terms.map((c, j) => (j === i ? { ...c, text } : c)) });
  const nextTermId = () => `t${Math.max(0, ...draft.terms.map((c) => Number(c.id.slice(1)) || 0)) + 1}`;

  const save = (event: FormEvent) => {
    event.preventDefault();
    client.agreement.edit(draft).then(({ version }) => setSaved(version), onError);
  };

  if (draft.parties.length < 2) return <p className="muted">{t('agreement.needParties')}</p>;
  return (
    <form className="agreement-editor" onSubmit={save} data-testid="agreement-editor">
      <label>
        {t('agreement.template')}
        <select
          data-testid="agreement-template"
          value={draft.disputeType}
          onChange={(e) => set({ disputeType: e.target.value as DisputeType })}
        >
          {disputeTypes.map((type) => (
            <option key={type} value={type}>
              {t(`agreement.types.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('agreement.caseNumber')}
        <input
          data-testid="agreement-case"
          value={draft.caseNumber}
          onChange={(e) => set({ caseNumber: e.target.value })}
          required
          maxLength={64}
        />
      </label>
      <fieldset>
        <legend>{t('agreement.parties')}</legend>
        {draft.parties.map((party, i) => (
          <div key={party.id} className="party-fields" data-testid="agreement-party" data-seat={party.seatId}>
            <label>
              {t('agreement.party.name')}
              <input value={party.name} onChange={(e) => setParty(i, { name: e.target.value })} required maxLength={64} />
            </label>
            <label>
              {t('agreement.party.side')}
              <select value={party.side} onChange={(e) => setParty(i, { side: e.target.value as Party['side'] })}>
                <option value="申请人">{t('agreement.sides.applicant')}</option>
                <option value="被申请人">{t('agreement.sides.respondent')}</option>
              </select>
            </label>
            {partyTextFields.map(({ field, maxLength, type }) => (
              <label key={field}>
                {t(`agreement.party.${field}`)}
                <input
                  data-field={field}
                  type={type}
                  value={party[field]}
                  onChange={(e) => setParty(i, { [field]: e.target.value })}
                  required
                  maxLength={maxLength}
                />
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <label>
        {t('agreement.facts')}
        <textarea
          data-testid="agreement-facts"
          value={draft.facts}
          onChange={(e) => set({ facts: e.target.value })}
          required
          maxLength={5000}
        />
      </label>
      <fieldset>
        <legend>{t('agreement.terms')}</legend>
        {draft.terms.map((clause, i) => (
          <div key={clause.id} className="row">
            <label className="grow">
              {t('agreement.clause', { n: i + 1 })}
              <textarea
                data-testid="agreement-clause"
                value={clause.text}
                onChange={(e) => setTerm(i, e.target.value)}
                required
                maxLength={2000}
              />
            </label>
            {draft.terms.length > 1 && (
              <button type="button" onClick={() => set({ terms: draft.terms.filter((_, j) => j !== i) })}>
                {t('agreement.removeClause')}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          data-testid="agreement-add-clause"
          onClick={() => set({ terms: [...draft.terms, { id: nextTermId(), text: '' }] })}
        >
          {t('agreement.addClause')}
        </button>
      </fieldset>
      <label>
        {t('agreement.mediatorName')}
        <input
          value={draft.mediator.name}
          onChange={(e) => set({ mediator: { ...draft.mediator, name: e.target.value } })}
          required
          maxLength={64}
        />
      </label>
      <label>
        {t('agreement.organisation')}
        <input
          data-testid="agreement-organisation"
          value={draft.mediator.organisation}
          onChange={(e) => set({ mediator: { ...draft.mediator, organisation: e.target.value } })}
          required
          maxLength={100}
        />
      </label>
      <button type="submit" className="primary" data-testid="agreement-save">
        {t('agreement.save')}
      </button>
      {saved !== undefined && (
        <p role="status" data-testid="agreement-saved">
          {t('agreement.saved', { version: saved })}
        </p>
      )}
    </form>
  );
}
