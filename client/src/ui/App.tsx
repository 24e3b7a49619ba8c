import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { InvitePage } from './invite/InvitePage.js';
import { LanguageSwitch } from './LanguageSwitch.js';

// The invite page and its self-test load first; the staff area loads only when visited.
const StaffPage = lazy(() => import('./staff/StaffPage.js').then((m) => ({ default: m.StaffPage })));

/** Shown while a lazily loaded screen (the room, the staff area) arrives over a slow link. */
function Loading() {
  const { t } = useTranslation();
  return (
    <main aria-busy="true" className="centered">
      {t('errors.loading')}
    </main>
  );
}

/** Three places: an invite link (/j/<token>), the staff area (/staff), and the home page. */
export function App() {
  const { t } = useTranslation();
  const path = window.location.pathname;
  const invite = /^\/j\/([^/?#]+)/.exec(path);
  if (invite?.[1])
    return (
      <Suspense fallback={<Loading />}>
        <InvitePage token={decodeURIComponent(invite[1])} />
      </Suspense>
    );
  if (path === '/staff' || path.startsWith('/staff/'))
    return (
      <Suspense fallback={<Loading />}>
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
