import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionSummary } from '../../../../signaling/index.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { CourtCalls } from './CourtCalls.js';

/**
 * Placeholder staff area until staff accounts land: paste an administrator
 * token (the CLI can mint one) to see today's sessions.
 */
export function StaffPage() {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [sessions, setSessions] = useState<SessionSummary[]>();
  const [error, setError] = useState<string>();

  const load = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const res = await fetch('/api/sessions', { headers: { authorization: `Bearer ${token.trim()}` } }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { sessions?: SessionSummary[]; error?: { code: string } } | undefined;
    if (!res?.ok || !body?.sessions) {
      setError(body?.error?.code ?? String(res?.status ?? 'NETWORK'));
      return;
    }
    const today = new Date().toDateString();
    setSessions(body.sessions.filter((s) => new Date(s.scheduledAt ?? s.createdAt).toDateString() === today));
  };

  return (
    <main className="staff" aria-labelledby="staff-title">
      <header className="bar">
        <h1 id="staff-title">{t('staff.title')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('staff.notice')}</p>
      <form onSubmit={(e) => void load(e)} className="row">
        <label className="grow">
          {t('staff.token')}
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" data-testid="staff-token" />
        </label>
        <button type="submit" className="primary">
          {t('staff.show')}
        </button>
      </form>
      {error && <p role="alert">{t('staff.error', { code: error })}</p>}
      {sessions && <CourtCalls token={token} />}
      {sessions && (
        <section aria-labelledby="today-heading">
          <h2 id="today-heading">{t('staff.today')}</h2>
          {sessions.length === 0 && <p className="muted">{t('staff.none')}</p>}
          <ul className="plain" data-testid="staff-sessions">
            {sessions.map((s) => (
              <li key={s.id}>
                <strong>{s.title}</strong> · {t(`staff.type.${s.type}`)} · {t(`staff.status.${s.status}`)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
