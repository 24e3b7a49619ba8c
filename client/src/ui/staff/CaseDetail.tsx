import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Seat, SeatLink } from './SeatLink.js';
import { type CaseRecord, chinaTime, errorText, type SessionSummary, staffApi } from './staffApi.js';

const sessionTypes = ['mediation', 'visit', 'hearing', 'consultation'] as const;
const seatRoles = ['party', 'counsel', 'mediator', 'court_staff', 'family', 'interpreter', 'observer'] as const;

function SessionSeats({ caseId, session }: { caseId: string; session: SessionSummary }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<string>('party');
  const [name, setName] = useState('');
  const [seats, setSeats] = useState<Seat[]>([]);
  const [error, setError] = useState<string>();
  const base = `/cases/${caseId}/sessions/${session.id}`;
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const seat = await staffApi<Seat>('POST', `${base}/seats`, { role, displayName: name });
      setSeats((list) => [...list, seat]);
      setName('');
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <li data-testid="case-session" data-session-id={session.id}>
      <strong>{chinaTime(session.scheduledAt ?? session.createdAt)}</strong> · {t(`staff.type.${session.type}`)} ·{' '}
      {t(`staff.status.${session.status}`)}
      <form onSubmit={(e) => void add(e)} className="row">
        <label>
          {t('office.cases.seatRole')}
          <select value={role} onChange={(e) => setRole(e.target.value)} data-testid="seat-role">
            {seatRoles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('office.cases.seatName')}
          <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="seat-name" />
        </label>
        <button type="submit" data-testid="add-seat">
          {t('office.cases.addSeat')}
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      <ul className="plain">
        {seats.map((s) => (
          <SeatLink key={s.seatId} seat={s} slipPath={`${base}/slip`} />
        ))}
      </ul>
    </li>
  );
}

/** One case: its parties, its sessions, and scheduling a new one. */
export function CaseDetail({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const [data, setData] = useState<{ case: CaseRecord; sessions: SessionSummary[] }>();
  const [type, setType] = useState<string>('mediation');
  const [when, setWhen] = useState('');
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    staffApi<{ case: CaseRecord; sessions: SessionSummary[] }>('GET', `/cases/${caseId}`).then(setData, (err: unknown) =>
      setError(errorText(t, err)),
    );
  }, [caseId, t]);
  useEffect(load, [load]);

  const schedule = async (event: FormEvent) => {
    event.preventDefault();
    try {
      // datetime-local has no zone: it is read as Beijing time.
      await staffApi('POST', `/cases/${caseId}/sessions`, { type, scheduledAt: new Date(`${when}:00+08:00`).toISOString() });
      load();
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  if (!data) return error ? <p role="alert">{error}</p> : <p>{t('errors.loading')}</p>;
  return (
    <section aria-labelledby="case-heading" data-testid="case-detail">
      <h3 id="case-heading">{data.case.caseNumber}</h3>
      <p>
        {t(`office.dispute.${data.case.disputeType}`)} · {data.case.parties.map((p) => `${p.name}（${p.side}）`).join('、')}
      </p>
      <form onSubmit={(e) => void schedule(e)} className="row" aria-label={t('office.cases.schedule')}>
        <label>
          {t('office.cases.sessionType')}
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="session-type">
            {sessionTypes.map((s) => (
              <option key={s} value={s}>
                {t(`staff.type.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('office.cases.when')}
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required data-testid="session-when" />
        </label>
        <button type="submit" className="primary" data-testid="schedule-session">
          {t('office.cases.schedule')}
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      <ul className="plain">
        {data.sessions.map((s) => (
          <SessionSeats key={s.id} caseId={caseId} session={s} />
        ))}
      </ul>
    </section>
  );
}
