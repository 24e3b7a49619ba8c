import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../room/index.js';
import { helpContact } from '../helpContact.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { sessionExtras } from '../room/seat.js';

const phases = ['denied', 'removed', 'ended', 'replaced', 'left', 'failed'] as const;
export type Reason = (typeof phases)[number] | 'expired' | 'locked' | 'badLink';

/** Why a refusal happened, in words: the code itself stays out of sight (a data attribute for scripts). */
function reasonOf(room: RoomSnapshot): Reason {
  const phase = (phases as readonly string[]).includes(room.phase) ? (room.phase as (typeof phases)[number]) : 'failed';
  if (phase !== 'failed') return phase;
  switch (room.error?.code) {
    case 'TOKEN_EXPIRED':
      return 'expired';
    case 'SESSION_LOCKED':
      return 'locked';
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return 'badLink';
    default:
      return 'failed';
  }
}

/** Why the person is not (or no longer) in the session, in plain words, and whom to ask for help. */
export function EndScreen({ room }: { room: RoomSnapshot }) {
  const phase = (phases as readonly string[]).includes(room.phase) ? room.phase : 'failed';
  return (
    <EndView
      phase={phase}
      reason={reasonOf(room)}
      code={room.error?.code ?? ''}
      title={room.session?.title}
      contact={helpContact(sessionExtras(room.session).helpContact)}
    />
  );
}

/** The end screen itself; also shown for a dead invite link before any self-test. */
export function EndView({
  phase,
  reason,
  code,
  title,
  contact,
}: {
  phase: string;
  reason: Reason;
  code: string;
  title?: string | undefined;
  contact: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <main className="end" data-testid="session-message" data-phase={phase} data-reason={reason} data-code={code}>
      <header className="bar">
        <h1>{title || t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <p role="alert" className="message">
        {t(`end.${reason}`)}
      </p>
      {reason !== 'left' && reason !== 'ended' && (
        <p data-testid="help-contact">{contact ? t('end.helpContact', { contact }) : t('end.helpDefault')}</p>
      )}
      {(reason === 'left' || reason === 'replaced') && (
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {t('end.rejoin')}
        </button>
      )}
    </main>
  );
}
