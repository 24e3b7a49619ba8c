import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { AccountsView } from './AccountsView.js';
import { CasesView } from './CasesView.js';
import { ConsultationsView } from './ConsultationsView.js';
import { CourtCalls } from './CourtCalls.js';
import { DashboardView } from './DashboardView.js';
import { IntakeView } from './IntakeView.js';
import { LedgerView } from './LedgerView.js';
import { LoginForm } from './LoginForm.js';
import { StatisticsView } from './StatisticsView.js';
import { type Account, staffApi } from './staffApi.js';
import { VisitsView } from './VisitsView.js';
import './staff.css';

const views = ['dashboard', 'cases', 'visits', 'consultations', 'intake', 'ledger', 'statistics', 'accounts'] as const;
type View = (typeof views)[number];

/** Views only some roles work in; the server refuses the others anyway, so their tabs are not shown. */
const viewRoles: Partial<Record<View, ReadonlySet<string>>> = {
  accounts: new Set(['admin']),
  visits: new Set(['correctional_officer', 'admin']),
  consultations: new Set(['lawyer', 'mediator', 'admin']),
  intake: new Set(['admin', 'mediator', 'court_staff', 'lawyer']),
};
const mayOpen = (view: View, account: Account) => viewRoles[view]?.has(account.staffRole) ?? true;
/** The public-service views' names live with their other strings (staffServices, issue 12). */
const navLabel = (view: View) =>
  view === 'visits' || view === 'consultations' || view === 'intake' ? `staffServices.nav.${view}` : `office.nav.${view}`;

function viewFromPath(): View {
  const name = window.location.pathname.split('/')[2] ?? '';
  return (views as readonly string[]).includes(name) ? (name as View) : 'dashboard';
}

/** The staff area (/staff/…): sign-in, then the dashboard, cases, the public services of the caller's role (visits, consultations, intake), ledger, statistics and, for administrators, accounts. */
export function StaffPage() {
  const { t } = useTranslation();
  const [account, setAccount] = useState<Account | null>();
  const [view, setView] = useState<View>(viewFromPath);

  useEffect(() => {
    staffApi<{ account: Account }>('GET', '/auth/me').then(
      ({ account }) => setAccount(account),
      () => setAccount(null),
    );
    const onPop = () => setView(viewFromPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((next: View) => {
    window.history.pushState(null, '', next === 'dashboard' ? '/staff' : `/staff/${next}`);
    setView(next);
  }, []);

  const logout = async () => {
    await staffApi('POST', '/auth/logout').catch(() => undefined);
    setAccount(null);
  };

  return (
    <main className="staff" aria-labelledby="staff-title">
      <header className="bar">
        <h1 id="staff-title">{t('office.title')}</h1>
        {account && (
          <span className="muted" data-testid="signed-in-as">
            {account.displayName}
          </span>
        )}
        {account && (
          <button type="button" onClick={() => void logout()} data-testid="logout">
            {t('office.logout')}
          </button>
        )}
        <LanguageSwitch />
      </header>
      {account === undefined && <p>{t('errors.loading')}</p>}
      {account === null && <LoginForm onSignedIn={setAccount} />}
      {account && (
        <>
          <nav aria-label={t('office.nav.label')} className="row">
            {views
              .filter((v) => mayOpen(v, account))
              .map((v) => (
                <button key={v} type="button" aria-pressed={view === v} onClick={() => go(v)} data-testid={`nav-${v}`}>
                  {t(navLabel(v))}
                </button>
              ))}
          </nav>
          {(account.staffRole === 'court_staff' || account.staffRole === 'admin') && <CourtCalls />}
          {view === 'dashboard' && <DashboardView />}
          {view === 'cases' && <CasesView account={account} />}
          {view === 'ledger' && <LedgerView />}
          {view === 'statistics' && <StatisticsView />}
          {view === 'accounts' && mayOpen(view, account) && <AccountsView account={account} />}
          {view === 'visits' && mayOpen(view, account) && <VisitsView account={account} />}
          {view === 'consultations' && mayOpen(view, account) && <ConsultationsView account={account} />}
          {view === 'intake' && mayOpen(view, account) && <IntakeView account={account} />}
        </>
      )}
    </main>
  );
}
