import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SeatLink } from './SeatLink.js';
import { serviceErrorText, type Visit, type VisitLinks } from './servicesApi.js';
import { type Account, chinaTime, staffApi } from './staffApi.js';
import { VisitForm } from './VisitForm.js';

/** The links of one visit, each with its QR code and copy button, and the officer's own way into the room. */
function VisitLinkList({ links }: { links: VisitLinks }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        <a className="button-link" href={links.officer.url} target="_blank" rel="noopener" data-testid="visit-open-room">
          {t('staffServices.visits.openRoom')}
        </a>
      </p>
      <ul className="plain" data-testid="visit-links">
        {[links.officer, links.supervisedPerson, ...links.family].map((seat) => (
          <SeatLink key={seat.seatId} seat={seat} />
        ))}
      </ul>
    </>
  );
}

/** One visit: its family and their approval, the start button, and its links on demand. */
function VisitItem({ visit, fresh, onChanged }: { visit: Visit; fresh: VisitLinks | undefined; onChanged: (visit: Visit) => void }) {
  const { t } = useTranslation();
  const [links, setLinks] = useState<VisitLinks | undefined>(fresh);
  const [error, setError] = useState<string>();
  const base = `/visits/${encodeURIComponent(visit.sessionId)}`;
  const act = async (run: () => Promise<void>) => {
    setError(undefined);
    try {
      await run();
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };
  const approve = (seatId: string) =>
    act(async () => onChanged({ ...visit, ...(await staffApi<Visit>('POST', `${base}/family/${encodeURIComponent(seatId)}/approve`)) }));
  const start = () => act(async () => onChanged({ ...visit, ...(await staffApi<Visit>('POST', `${base}/start`)) }));
  const showLinks = () => act(async () => setLinks(await staffApi<VisitLinks>('POST', `${base}/links`)));

  return (
    <li className="seat-link" data-testid="visit-item" data-session-id={visit.sessionId} data-status={visit.status}>
      <strong>{chinaTime(visit.scheduledAt)}</strong> {visit.title} · {t(`staff.status.${visit.status}`)}
      <span className="muted">
        {visit.endsAt
          ? t('staffServices.visits.endsAt', { time: chinaTime(visit.endsAt) })
          : t('staffServices.visits.startBy', { time: chinaTime(visit.startBy) })}
      </span>
      <ul className="plain">
        {visit.family.map((f) => (
          <li key={f.seatId} className="row" data-testid="visit-family" data-seat-id={f.seatId} data-approved={f.approved}>
            <span className="grow">{t('staffServices.visits.family', f)}</span>
            {f.approved ? (
              <span data-testid="visit-approved">✓ {t('staffServices.visits.approved')}</span>
            ) : (
              <button type="button" className="primary" onClick={() => void approve(f.seatId)} data-testid="visit-approve">
                {t('staffServices.visits.approve', { name: f.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="row">
        {!visit.endsAt && visit.status !== 'ended' && (
          <button type="button" onClick={() => void start()} data-testid="visit-start">
            {t('staffServices.visits.start')}
          </button>
        )}
        {!links && visit.status !== 'ended' && (
          <button type="button" onClick={() => void showLinks()} data-testid="visit-show-links">
            {t('staffServices.visits.links')}
          </button>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
      {links && <VisitLinkList links={links} />}
    </li>
  );
}

/** Visits (for correctional officers): schedule, approve each family member, start, and hand out the links. */
export function VisitsView({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [visits, setVisits] = useState<Visit[]>();
  const [fresh, setFresh] = useState<Record<string, VisitLinks>>({});
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      staffApi<{ visits: Visit[] }>('GET', '/visits').then(
        (answer) => setVisits(answer.visits),
        (err: unknown) => setError(serviceErrorText(t, err)),
      ),
    [t],
  );
  useEffect(() => void load(), [load]);

  const changed = (next: Visit) => setVisits((list) => list?.map((v) => (v.sessionId === next.sessionId ? next : v)));

  return (
    <div className="columns" data-testid="visits-view">
      <section aria-labelledby="visits-heading">
        <h2 id="visits-heading">{t('staffServices.visits.list')}</h2>
        {error && <p role="alert">{error}</p>}
        {!visits && !error && <p>{t('errors.loading')}</p>}
        {visits?.length === 0 && <p className="muted">{t('staffServices.visits.none')}</p>}
        <ul className="plain" data-testid="visit-list">
          {visits?.map((v) => (
            <VisitItem key={v.sessionId} visit={v} fresh={fresh[v.sessionId]} onChanged={changed} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="visit-schedule-heading">
        <VisitForm
          account={account}
          onScheduled={(scheduled) => {
            // The new visit comes first, with the links just made already open.
            setFresh((map) => ({ ...map, [scheduled.sessionId]: scheduled }));
            void load();
          }}
        />
      </section>
    </div>
  );
}
