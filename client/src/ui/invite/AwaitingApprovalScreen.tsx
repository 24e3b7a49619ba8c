import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type InviteResolution, resolveInvite } from '../../room/inviteLink.js';
import { LanguageSwitch } from '../LanguageSwitch.js';

/** How often the link is asked again: the officer usually approves within a minute, and one small GET is cheap on a village link. */
const pollMs = 3000;

type Props = {
  id: string;
  resolution: Extract<InviteResolution, { status: 'awaiting_approval' }>;
  /** Called once the link answers anything else (open after approval, or ended, denied…). */
  onResolved(next: InviteResolution): void;
};

/**
 * A visit's family member whose seat the correctional officer has not approved
 * yet (issue 12): said plainly before the self-test, since joining would only be
 * refused. The page asks again every few seconds and moves on by itself.
 */
export function AwaitingApprovalScreen({ id, resolution, onResolved }: Props) {
  const { t } = useTranslation();
  useEffect(() => {
    let stopped = false;
    const timer = setInterval(() => {
      void resolveInvite(id).then((next) => {
        // A dropped request on a weak link is not news: keep waiting and ask again.
        if (stopped || next.status === 'awaiting_approval' || next.status === 'unreachable') return;
        stopped = true;
        clearInterval(timer);
        onResolved(next);
      });
    }, pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [id, onResolved]);

  return (
    <main className="waiting" data-testid="awaiting-approval" aria-labelledby="awaiting-title">
      <header className="bar">
        <h1 id="awaiting-title">{resolution.session.title}</h1>
        <LanguageSwitch />
      </header>
      <h2>{t('staffServices.awaiting.title', { name: resolution.seat.displayName })}</h2>
      <p role="status" aria-busy="true">
        {t('staffServices.awaiting.body')}
      </p>
      <p className="muted">{t('staffServices.awaiting.next')}</p>
    </main>
  );
}
