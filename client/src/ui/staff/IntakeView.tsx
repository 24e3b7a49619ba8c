import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LegalAidDecide } from './LegalAidDecide.js';
import { type LegalAidApplication, serviceErrorText, type WorkOrder } from './servicesApi.js';
import { type Account, chinaTime, type Site, staffApi } from './staffApi.js';
import { WorkOrderResolve } from './WorkOrderResolve.js';

/** Who may decide legal-aid applications (POST /legal-aid/:code/decide); others see them only. */
const aidDeciders = new Set(['admin', 'mediator']);

/** Intake (受理): 12348 work orders to resolve, and legal-aid applications to accept or reject. Callers and applicants are masked. */
export function IntakeView({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [orders, setOrders] = useState<WorkOrder[]>();
  const [applications, setApplications] = useState<LegalAidApplication[]>();
  const [sites, setSites] = useState<Site[]>([]);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    Promise.all([
      staffApi<{ orders: WorkOrder[] }>('GET', '/intake/work-orders'),
      staffApi<{ applications: LegalAidApplication[] }>('GET', '/legal-aid'),
      staffApi<{ sites: Site[] }>('GET', '/sites'),
    ]).then(
      ([o, a, s]) => {
        setOrders(o.orders);
        setApplications(a.applications);
        setSites(s.sites);
      },
      (err: unknown) => setError(serviceErrorText(t, err)),
    );
  }, [t]);
  const toggle = (key: string) => setOpen((current) => (current === key ? undefined : key));

  return (
    <div className="columns" data-testid="intake-view">
      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">{t('staffServices.intake.orders')}</h2>
        {error && <p role="alert">{error}</p>}
        {orders?.length === 0 && <p className="muted">{t('staffServices.intake.noOrders')}</p>}
        <ul className="plain">
          {orders?.map((o) => (
            <li key={o.id} className="seat-link" data-testid="work-order" data-ref={o.externalRef} data-status={o.status}>
              <span>
                <strong>{o.externalRef}</strong> · {chinaTime(o.createdAt)} · {t(`staffServices.intake.category.${o.category}`)} ·{' '}
                {o.caller.name} {o.caller.phone}
              </span>
              <span>{o.summary}</span>
              <strong data-testid="work-order-status">
                {t(`staffServices.intake.status.${o.status}`)}
                {o.resultRef && ` · ${t('staffServices.intake.result', { ref: o.resultRef })}`}
              </strong>
              {o.status === 'new' && (
                <button type="button" aria-expanded={open === o.id} onClick={() => toggle(o.id)} data-testid="work-order-open">
                  {t('staffServices.intake.resolve')}
                </button>
              )}
              {o.status === 'new' && open === o.id && (
                <WorkOrderResolve
                  order={o}
                  account={account}
                  sites={sites}
                  onResolved={(next) => {
                    setOrders((list) => list?.map((x) => (x.id === next.id ? next : x)));
                    setOpen(undefined);
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="aid-heading">
        <h2 id="aid-heading">{t('staffServices.intake.aid')}</h2>
        {applications?.length === 0 && <p className="muted">{t('staffServices.intake.noAid')}</p>}
        <ul className="plain">
          {applications?.map((a) => (
            <li key={a.code} className="seat-link" data-testid="legal-aid-application" data-code={a.code} data-status={a.status}>
              <span>
                <strong>{a.code}</strong> · {chinaTime(a.createdAt)} · {a.applicant.name} {a.applicant.phone}
              </span>
              <span>{a.matter}</span>
              <strong data-testid="legal-aid-state">
                {t(`staffServices.intake.aidStatus.${a.status}`)}
                {a.reason && ` · ${a.reason}`}
              </strong>
              {a.status === 'submitted' && aidDeciders.has(account.staffRole) && (
                <button type="button" aria-expanded={open === a.code} onClick={() => toggle(a.code)} data-testid="legal-aid-open">
                  {t('staffServices.intake.resolve')}
                </button>
              )}
              {a.status === 'submitted' && open === a.code && (
                <LegalAidDecide
                  application={a}
                  account={account}
                  sites={sites}
                  onDecided={(next) => {
                    setApplications((list) => list?.map((x) => (x.code === next.code ? next : x)));
                    setOpen(undefined);
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
