import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseDetail } from './CaseDetail.js';
import { CaseForm } from './CaseForm.js';
import { type Account, type CaseRecord, errorText, type Site, staffApi } from './staffApi.js';

/** The case list (parties masked) beside the selected case. */
export function CasesView({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [cases, setCases] = useState<CaseRecord[]>([]);
  const [sites, setSites] = useState<Site[]>([]);
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    Promise.all([staffApi<{ cases: CaseRecord[] }>('GET', '/cases'), staffApi<{ sites: Site[] }>('GET', '/sites')]).then(
      ([c, s]) => {
        setCases(c.cases);
        setSites(s.sites);
      },
      (err: unknown) => setError(errorText(t, err)),
    );
  }, [t]);

  return (
    <div className="columns">
      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">{t('office.nav.cases')}</h2>
        {error && <p role="alert">{error}</p>}
        <ul className="plain" data-testid="case-list">
          {cases.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="link-button"
                onClick={() => setSelected(c.id)}
                aria-pressed={selected === c.id}
                data-testid="case-item"
              >
                {c.caseNumber}
              </button>{' '}
              {c.parties.map((p) => `${p.name}（${p.side}，${p.phone}）`).join('、')}
            </li>
          ))}
        </ul>
        <CaseForm
          account={account}
          sites={sites}
          onCreated={(record) => {
            setCases((list) => [record, ...list]);
            setSelected(record.id);
          }}
        />
      </section>
      {selected && <CaseDetail key={selected} caseId={selected} />}
    </div>
  );
}
