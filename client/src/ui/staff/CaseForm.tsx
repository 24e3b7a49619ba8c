import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SiteSelect } from './FormFields.js';
import { type Account, type CaseRecord, errorText, type Party, type Site, staffApi } from './staffApi.js';

const disputeTypes = ['neighbourhood', 'family', 'unpaid_wages', 'traffic_accident', 'land_contract', 'general'] as const;
const emptyParty = (side: Party['side']): Party => ({ name: '', side, phone: '', idNumber: '' });

export type NewCaseBody = { caseNumber: string; disputeType: string; parties: Party[]; mediatorId: string; siteId: string | undefined };

type Props = {
  account: Account;
  sites: Site[];
  onCreated?: (record: CaseRecord) => void;
  /** Where the case goes instead of POST /cases: a work order or a legal-aid application turned into a case. */
  save?: (body: NewCaseBody) => Promise<void>;
  /** The heading and the button, when the form does something else than open a plain case. */
  heading?: string;
};

/** Opens a case; the signed-in staff member is its responsible mediator. */
export function CaseForm({ account, sites, onCreated, save, heading }: Props) {
  const { t } = useTranslation();
  const [caseNumber, setCaseNumber] = useState('');
  const [disputeType, setDisputeType] = useState<string>('neighbourhood');
  const [siteId, setSiteId] = useState('');
  const [parties, setParties] = useState<Party[]>([emptyParty('申请人'), emptyParty('被申请人')]);
  const [error, setError] = useState<string>();
  const setParty = (index: number, field: keyof Party, value: string) =>
    setParties((list) => list.map((p, i) => (i === index ? { ...p, [field]: value } : p)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body: NewCaseBody = { caseNumber, disputeType, parties, mediatorId: account.id, siteId: siteId || sites[0]?.id };
      if (save) await save(body);
      else onCreated?.((await staffApi<{ case: CaseRecord }>('POST', '/cases', body)).case);
      setCaseNumber('');
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" aria-labelledby="new-case" data-testid="case-form">
      <h3 id="new-case">{heading ?? t('office.cases.new')}</h3>
      <label>
        {t('office.cases.caseNumber')}
        <input value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} required data-testid="case-number" />
      </label>
      <label>
        {t('office.cases.disputeType')}
        <select value={disputeType} onChange={(e) => setDisputeType(e.target.value)} data-testid="dispute-type">
          {disputeTypes.map((d) => (
            <option key={d} value={d}>
              {t(`office.dispute.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <SiteSelect label={t('office.cases.site')} sites={sites} value={siteId} onChange={setSiteId} testId="case-site" />
      {parties.map((party, i) => (
        <fieldset key={party.side} data-testid={`party-${i}`}>
          <legend>{party.side}</legend>
          {(['name', 'phone', 'idNumber'] as const).map((field) => (
            <label key={field}>
              {t(`office.cases.party.${field}`)}
              <input
                value={party[field]}
                onChange={(e) => setParty(i, field, e.target.value)}
                required
                data-testid={`party-${i}-${field}`}
              />
            </label>
          ))}
        </fieldset>
      ))}
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" data-testid="create-case">
        {heading ?? t('office.cases.create')}
      </button>
    </form>
  );
}
