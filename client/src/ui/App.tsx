import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { InvitePage } from './invite/InvitePage.js';
import { LanguageSwitch } from './LanguageSwitch.js';

// The back office (charts, QR codes) loads only for staff, not with every invite link.
const StaffPage = lazy(() => import('./staff/StaffPage.js').then((m) => ({ default: m.StaffPage })));

/** Three places: an invite link (/j/<token>), the staff area (/staff), and the home page. */
export function App() {
  const { t } = useTranslation();
  const path = window.location.pathname;
  const invite = /^\/j\/([^/?#]+)/.exec(path);
  if (invite?.[1]) return <InvitePage token={decodeURIComponent(invite[1])} />;
  if (path === '/staff' || path.startsWith('/staff/'))
    return (
      <Suspense fallback={<p>{t('errors.loading')}</p>}>
        <StaffPage />
      </Suspense>
    );
  return (
    <main data-testid="app-home" className="home">
      <header className="bar">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('app.tagline')}</p>
      <a href="/staff" className="button-link">
        {t('app.staffLink')}
      </a>
    </main>
  );
}
