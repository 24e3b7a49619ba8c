import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Seconds before the end at which everyone is warned (the server sends visit:warning at the same moments). */
const warnings = [300, 60] as const;

function mmss(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A supervised visit's countdown to its automatic end (issue 12), from the
 * session's endsAt, so a reload or a late joiner sees the same clock. The
 * warning line appears at 5 minutes and at 1 minute left.
 */
export function VisitCountdown({ endsAt }: { endsAt: string | undefined }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  if (!endsAt) return null;
  const left = (Date.parse(endsAt) - now) / 1000;
  const warning = warnings.filter((w) => left <= w).at(-1);
  return (
    <>
      <span
        className={`visit-countdown${warning ? ' visit-countdown-warning' : ''}`}
        data-testid="visit-countdown"
        data-seconds-left={Math.max(0, Math.ceil(left))}
        role="timer"
        aria-label={t('visit.countdownLabel')}
      >
        {t('visit.countdown', { time: mmss(left) })}
      </span>
      {warning && left > 0 && (
        <span className="visit-warning" data-testid="visit-warning" data-seconds={warning} role="alert">
          {warning >= 60 ? t('visit.warnMinutes', { count: Math.round(warning / 60) }) : t('visit.warnSeconds', { count: warning })}
        </span>
      )}
    </>
  );
}
