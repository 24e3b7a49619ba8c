import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../room/index.js';
import { LanguageSwitch } from '../LanguageSwitch.js';

const phases = ['denied', 'removed', 'ended', 'replaced', 'left', 'failed'] as const;

/** Why the person is not (or no longer) in the session, in plain words. */
export function EndScreen({ room }: { room: RoomSnapshot }) {
  const { t } = useTranslation();
  const phase = (phases as readonly string[]).includes(room.phase) ? (room.phase as (typeof phases)[number]) : 'failed';
  return (
    <main className="end" data-testid="session-message" data-phase={phase}>
      <header className="bar">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <p role="alert" className="message">
        {t(`end.${phase}`)}
      </p>
      {room.error && (
        <p className="muted">
          {t('end.code', { code: '' })}
          <code data-testid="error-code">{room.error.code}</code>
        </p>
      )}
      {(phase === 'left' || phase === 'replaced') && (
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {t('end.rejoin')}
        </button>
      )}
    </main>
  );
}
