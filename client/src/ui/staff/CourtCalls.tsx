import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

type Call = { sessionId: string; title: string; calledAt: string };

/** How often an open staff page asks for new calls: a court clerk should not wait long for the mediator. */
const pollMs = 10_000;

/**
 * 流动法庭: open calls from mediators for judicial confirmation. Court staff
 * (and admins) see them and join directly, skipping the waiting room.
 */
export function CourtCalls({ token }: { token?: string }) {
  const { t } = useTranslation();
  const [calls, setCalls] = useState<Call[]>();
  const [joined, setJoined] = useState<string>();
  // Signed in: the session cookie goes along by itself; a script token may be given instead.
  const auth: Record<string, string> = token?.trim() ? { authorization: `Bearer ${token.trim()}` } : {};

  // biome-ignore lint/correctness/useExhaustiveDependencies: auth is derived from token
  const load = useCallback(async () => {
    const res = await fetch('/api/court/calls', { headers: auth }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { calls?: Call[] } | undefined;
    setCalls(res?.ok ? (body?.calls ?? []) : undefined);
  }, [token]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), pollMs);
    return () => clearInterval(timer);
  }, [load]);

  const join = async (sessionId: string) => {
    const res = await fetch(`/api/court/calls/${encodeURIComponent(sessionId)}/join`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    if (res.ok && body.url) setJoined(body.url);
  };

  if (!calls) return null;
  return (
    <section aria-labelledby="court-calls-heading" data-testid="court-calls">
      <h2 id="court-calls-heading">{t('agreement.calls.title')}</h2>
      <button type="button" onClick={() => void load()}>
        {t('agreement.calls.refresh')}
      </button>
      {calls.length === 0 && <p className="muted">{t('agreement.calls.none')}</p>}
      <ul className="plain">
        {calls.map((c) => (
          <li key={c.sessionId} data-testid="court-call" data-session={c.sessionId}>
            <strong>{c.title}</strong> · {t('agreement.calls.calledAt', { time: new Date(c.calledAt).toLocaleTimeString() })}{' '}
            <button type="button" className="primary" data-testid="court-call-join" onClick={() => void join(c.sessionId)}>
              {t('agreement.calls.join')}
            </button>
          </li>
        ))}
      </ul>
      {joined && (
        <p role="status">
          {t('agreement.calls.joined')}{' '}
          <a href={joined} data-testid="court-call-link">
            {joined}
          </a>
        </p>
      )}
    </section>
  );
}
