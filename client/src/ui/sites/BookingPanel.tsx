import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContactFields } from './ContactFields.js';

type Slot = { id: string; lawyerName: string; startsAt: string; online: boolean; siteId?: string; placesLeft: number };

/** Consultation by appointment (issue 12): upcoming slots and a booking form (name and phone, no account). */
export function BookingPanel() {
  const { t } = useTranslation();
  const [slots, setSlots] = useState<Slot[]>([]);
  const [chosen, setChosen] = useState<string>();
  const [booked, setBooked] = useState<{ code: string; url: string }>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    fetch('/api/slots')
      .then((r) => r.json())
      .then((a: { slots: Slot[] }) => setSlots(a.slots.filter((s) => s.placesLeft > 0)))
      .catch(() => undefined);
  }, []);

  const book = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const res = await fetch('/api/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slotId: chosen, name: data.get('name'), phone: data.get('phone') }),
    }).catch(() => undefined);
    if (res?.ok) setBooked((await res.json()) as { code: string; url: string });
    else setFailed(true);
  };

  if (slots.length === 0 && !booked) return null;
  return (
    <section className="booking-panel" data-testid="booking-panel" aria-label={t('booking.title')}>
      <h2>{t('booking.title')}</h2>
      {booked ? (
        <p role="status" data-testid="booking-code" data-code={booked.code}>
          {t('booking.done', { ref: booked.code })} <a href={booked.url}>{booked.url}</a>
        </p>
      ) : (
        <form className="legal-aid-form" onSubmit={(e) => void book(e)}>
          <label>
            {t('booking.slot')}
            <select required data-testid="booking-slot" value={chosen ?? ''} onChange={(e) => setChosen(e.target.value)}>
              <option value="">{t('sites.chooseTownship')}</option>
              {slots.map((s) => (
                <option key={s.id} value={s.id}>
                  {new Date(s.startsAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} · {s.lawyerName}
                </option>
              ))}
            </select>
          </label>
          <ContactFields />
          <button type="submit" data-testid="booking-submit">
            {t('booking.submit')}
          </button>
          {failed && <p role="alert">{t('booking.failed')}</p>}
        </form>
      )}
    </section>
  );
}

/** /b/<code>: the booking's short link. Shows where it stands, cancels it, and opens the consultation once the lawyer started it. */
export function BookingPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [booking, setBooking] = useState<{ status: string; joinUrl?: string; slot?: { startsAt: string } } | null>();
  useEffect(() => {
    let alive = true;
    const load = () =>
      fetch(`/api/bookings/${encodeURIComponent(code)}`)
        .then(async (r) => alive && setBooking(r.ok ? await r.json() : null))
        .catch(() => alive && setBooking(null));
    void load();
    // The lawyer may start the consultation any moment: look again every 10 s.
    const timer = setInterval(() => void load(), 10_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [code]);
  const cancel = async () => {
    // The answer is the booking as it now stands.
    const res = await fetch(`/api/bookings/${encodeURIComponent(code)}/cancel`, { method: 'POST' }).catch(() => undefined);
    if (res?.ok) setBooking(await res.json());
  };
  return (
    <main className="sites-page" data-testid="booking-page">
      <h1>{t('booking.title')}</h1>
      {booking === null && <p role="alert">{t('booking.unknown')}</p>}
      {booking && (
        <>
          <p data-testid="booking-status" data-status={booking.status}>
            {t(`booking.status.${booking.status}`)}
          </p>
          {booking.joinUrl && booking.status === 'booked' && (
            <a className="button-link" href={booking.joinUrl} data-testid="booking-join">
              {t('booking.join')}
            </a>
          )}
          {booking.status === 'booked' && (
            <button type="button" onClick={() => void cancel()} data-testid="booking-cancel">
              {t('booking.cancel')}
            </button>
          )}
        </>
      )}
    </main>
  );
}
