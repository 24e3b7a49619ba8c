import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { InviteGate } from './invite/InviteGate.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { Loading } from './Loading.js';

// The invite page and its self-test load first; the staff area loads only when visited.
const StaffPage = lazy(() => import('./staff/StaffPage.js').then((m) => ({ default: m.StaffPage })));
const RecordingsPage = lazy(() => import('./recordings/RecordingsPage.js').then((m) => ({ default: m.RecordingsPage })));
// Public services (issue 12): the site finder, no sign-in.
const SitesPage = lazy(() => import('./sites/SitesPage.js').then((m) => ({ default: m.SitesPage })));
const BookingPage = lazy(() => import('./sites/BookingPanel.js').then((m) => ({ default: m.BookingPage })));
// The agreement check (/verify) is rare: it stays out of the invite page's first script.
const VerifyPage = lazy(() => import('./agreement/VerifyPage.js').then((m) => ({ default: m.VerifyPage })));
const LegalAidPage = lazy(() => import('./sites/LegalAidPage.js').then((m) => ({ default: m.LegalAidPage })));

/** Three places: an invite link (/j/<id>), the staff area (/staff), and the home page. */
export function App() {
  return (
    <>
      {/* React 19 hoists this into <head>; an SVG icon needs no script and no binary file. */}
      <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
      <Page />
    </>
  );
}

function Page() {
  const { t } = useTranslation();
  const path = window.location.pathname;
  const invite = /^\/j\/([^/?#]+)/.exec(path);
  if (invite?.[1]) return <InviteGate id={decodeURIComponent(invite[1])} />;
  const recordings = /^\/recordings\/([A-Za-z0-9_-]{8,64})$/.exec(path);
  if (recordings?.[1])
    return (
      <Suspense fallback={<Loading />}>
        <RecordingsPage sessionId={recordings[1]} />
      </Suspense>
    );
  if (path === '/sites')
    return (
      <Suspense fallback={<Loading />}>
        <SitesPage />
      </Suspense>
    );
  const booking = /^\/b\/([A-Z0-9]{6,16})$/.exec(path);
  if (booking?.[1])
    return (
      <Suspense fallback={<Loading />}>
        <BookingPage code={booking[1]} />
      </Suspense>
    );
  if (path === '/legal-aid')
    return (
      <Suspense fallback={<Loading />}>
        <LegalAidPage />
      </Suspense>
    );
  if (path === '/staff' || path.startsWith('/staff/'))
    return (
      <Suspense fallback={<Loading />}>
        <StaffPage />
      </Suspense>
    );
  if (path === '/verify')
    return (
      <Suspense fallback={<Loading />}>
        <VerifyPage />
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
