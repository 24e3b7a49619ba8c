import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { editableOutcomes, type LedgerLine, ledgerOutcomes, ledgerTypes, outcomeKeys, typeKeys } from './ledgerLabels.js';
import { chinaTime, downloadFile, errorText, type Site, staffApi } from './staffApi.js';

type Filters = { from: string; to: string; siteId: string; type: string; outcome: string };

function queryOf(filters: Filters): string {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  return params.size ? `?${params}` : '';
}

/** 台账: search, set or correct outcomes, export CSV. Sessions, consultations, 12348 work orders and legal aid (issue 12). */
export function LedgerView() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', siteId: '', type: '', outcome: '' });
  const [entries, setEntries] = useState<LedgerLine[]>([]);
  const [sites, setSites] = useState<Site[]>([]);
  const [error, setError] = useState<string>();
  const search = useCallback(
    (f: Filters) =>
      staffApi<{ entries: LedgerLine[] }>('GET', `/ledger${queryOf(f)}`).then(
        (a) => setEntries(a.entries),
        (err: unknown) => setError(errorText(t, err)),
      ),
    [t],
  );
  useEffect(() => {
    void search({ from: '', to: '', siteId: '', type: '', outcome: '' });
    staffApi<{ sites: Site[] }>('GET', '/sites').then(
      (a) => setSites(a.sites),
      () => undefined,
    );
  }, [search]);
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? id;
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    void search(filters);
  };
  const edit = async (sessionId: string, outcome: string) => {
    try {
      const { entry } = await staffApi<{ entry: LedgerLine }>('PATCH', `/ledger/${sessionId}`, { outcome });
      setEntries((list) => list.map((e) => (e.sessionId === sessionId ? entry : e)));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <section aria-labelledby="ledger-heading">
      <h2 id="ledger-heading">{t('office.nav.ledger')}</h2>
      <form onSubmit={submit} className="row" aria-label={t('office.ledger.search')}>
        <label>
          {t('office.ledger.from')}
          <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          {t('office.ledger.to')}
          <input type="date" value={filters.to} onChange={set('to')} />
        </label>
        <label>
          {t('office.cases.site')}
          <select value={filters.siteId} onChange={set('siteId')}>
            <option value="">{t('office.ledger.all')}</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ledgerSources.filterType')}
          <select value={filters.type} onChange={set('type')} data-testid="ledger-type">
            <option value="">{t('office.ledger.all')}</option>
            {ledgerTypes.map((type) => (
              <option key={type} value={type}>
                {t(typeKeys(type))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('office.ledger.outcome')}
          <select value={filters.outcome} onChange={set('outcome')}>
            <option value="">{t('office.ledger.all')}</option>
            {ledgerOutcomes.map((o) => (
              <option key={o} value={o}>
                {t(outcomeKeys(o))}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('office.ledger.search')}
        </button>
        <button
          type="button"
          onClick={() => void downloadFile('GET', `/ledger/export${queryOf(filters)}`, 'ledger.csv')}
          data-testid="ledger-csv"
        >
          {t('office.csv')}
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      <table data-testid="ledger-table">
        <thead>
          <tr>
            {['caseNumber', 'type', 'site', 'start', 'duration', 'outcome'].map((c) => (
              <th key={c} scope="col">
                {t(`office.ledger.column.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.sessionId} data-session-id={e.sessionId} data-type={e.type} data-outcome={e.outcome ?? ''}>
              <td>{e.caseNumber}</td>
              <td>{t(typeKeys(e.type))}</td>
              <td>{e.siteIds.map(siteName).join('、')}</td>
              <td>{chinaTime(e.startedAt)}</td>
              <td>{Math.round(e.durationSeconds / 60)}′</td>
              <td>
                <OutcomeCell line={e} onEdit={(outcome) => void edit(e.sessionId, outcome)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The outcome of a line: a choice where staff may set it, plain text where the line's own decision set it. */
function OutcomeCell({ line, onEdit }: { line: LedgerLine; onEdit: (outcome: string) => void }) {
  const { t } = useTranslation();
  const choices = editableOutcomes(line);
  if (choices.length === 0)
    return (
      <span title={t('ledgerSources.decidedElsewhere')}>{line.outcome ? t(outcomeKeys(line.outcome)) : t('office.outcome.undecided')}</span>
    );
  return (
    <select
      value={line.outcome ?? ''}
      onChange={(ev) => onEdit(ev.target.value)}
      aria-label={t('office.ledger.setOutcome', { caseNumber: line.caseNumber ?? line.sessionId })}
    >
      <option value="" disabled>
        {t('office.outcome.undecided')}
      </option>
      {[...new Set([...choices, ...(line.outcome ? [line.outcome] : [])])].map((o) => (
        <option key={o} value={o}>
          {t(outcomeKeys(o))}
        </option>
      ))}
    </select>
  );
}
