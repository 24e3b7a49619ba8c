import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../room/index.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { CurrentRoom } from './CaucusPanel.js';
import { sessionExtras } from './seat.js';
import { VisitCountdown } from './VisitCountdown.js';

const qualityRank = { good: 0, poor: 1, bad: 2 } as const;

function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const rest = `${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** Our connection as people understand it: the worst band among what we receive, or "reconnecting". */
function connectionOf(room: RoomSnapshot): 'good' | 'poor' | 'bad' | 'reconnecting' {
  if (room.phase === 'reconnecting') return 'reconnecting';
  let worst: 'good' | 'poor' | 'bad' = 'good';
  for (const s of Object.values(room.stats)) if (qualityRank[s.quality] > qualityRank[worst]) worst = s.quality;
  return worst;
}

/** Title, case number, how long the session has run, recording (only when recording) and our connection. */
export function TopBar({ room }: { room: RoomSnapshot }) {
  const { t } = useTranslation();
  const extras = sessionExtras(room.session);
  const [joinedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const startedAt = extras.startedAt ? Date.parse(extras.startedAt) : Number.NaN;
  const since = Number.isNaN(startedAt) ? joinedAt : startedAt;
  const connection = connectionOf(room);

  return (
    <header className="topbar" data-testid="top-bar">
      <div className="title">
        <h1>{room.session?.title}</h1>
        {extras.caseNumber && (
          <span className="case-number" data-testid="case-number">
            {t('room.caseNumber', { number: extras.caseNumber })}
          </span>
        )}
      </div>
      <div className="status">
        <CurrentRoom room={room} />
        <span className="elapsed" data-testid="elapsed" role="timer" aria-label={t('room.elapsed')}>
          {elapsedText(now - since)}
        </span>
        {/* Supervised visits (issue 12): the countdown to the automatic end. */}
        <VisitCountdown endsAt={room.session?.endsAt} />
        {room.session?.recording && (
          <span className="recording" data-testid="recording-indicator" role="status">
            ● {t('room.recording')}
          </span>
        )}
        {room.session?.locked && <span className="badge-text">{t('room.locked')}</span>}
        <span
          className={`connection connection-${connection}`}
          data-testid="connection"
          data-state={connection}
          data-fallback={room.network.fallbackTcp}
        >
          <span className="dot" aria-hidden="true" />
          {t(`room.connection.${connection}`)}
          {/* UDP blocked: media goes over TCP. Said plainly, not shown as a bad connection. */}
          {room.network.fallbackTcp && <span className="fallback">{t('room.connection.fallbackTcp')}</span>}
        </span>
        <LanguageSwitch />
      </div>
    </header>
  );
}
