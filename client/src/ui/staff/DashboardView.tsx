import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaTime, errorText, type SessionSummary, staffApi } from './staffApi.js';

type Item = { session: SessionSummary; caseNumber?: string; parties: string[]; siteName?: string };

function SessionList({ items, testId }: { items: Item[]; testId: string }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="muted">{t('office.dashboard.none')}</p>;
  return (
    <ul className="plain" data-testid={testId}>
      {items.map((i) => (
        <li key={i.session.id} data-session-id={i.session.id}>
          <strong>{chinaTime(i.session.scheduledAt ?? i.session.createdAt)}</strong> · {i.caseNumber ?? i.session.title} ·{' '}
          {t(`staff.type.${i.session.type}`)} · {i.parties.join('、')} {i.siteName && `· ${i.siteName}`} ·{' '}
          {t(`staff.status.${i.session.status}`)}
        </li>
      ))}
    </ul>
  );
}

/** Start page: today's sessions, then the ones coming up. */
export function DashboardView() {
  const { t } = useTranslation();
  const [data, setData] = useState<{ today: Item[]; upcoming: Item[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    staffApi<{ today: Item[]; upcoming: Item[] }>('GET', '/dashboard').then(setData, (err: unknown) => setError(errorText(t, err)));
  }, [t]);
  if (error) return <p role="alert">{error}</p>;
  if (!data) return <p>{t('errors.loading')}</p>;
  return (
    <>
      <section aria-labelledby="today-heading">
        <h2 id="today-heading">{t('office.dashboard.today')}</h2>
        <SessionList items={data.today} testId="dashboard-today" />
      </section>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">{t('office.dashboard.upcoming')}</h2>
        <SessionList items={data.upcoming} testId="dashboard-upcoming" />
      </section>
    </>
  );
}
