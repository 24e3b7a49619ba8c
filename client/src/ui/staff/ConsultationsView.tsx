import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SlotForm } from './SlotForm.js';
import { type Booking, type ConsultationSlot, type StartedConsultation, serviceErrorText } from './servicesApi.js';
import { type Account, chinaTime, type Site, staffApi } from './staffApi.js';

const outcomes = ['completed', 'no_show'] as const;

/** One booking (name and phone masked): its state and, while booked, the lawyer's completed / no-show buttons. */
function BookingRow({ booking, onChanged }: { booking: Booking; onChanged: (booking: Booking) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const record = async (status: (typeof outcomes)[number]) => {
    setError(undefined);
    try {
      const answer = await staffApi<{ status: Booking['status'] }>('POST', `/bookings/${encodeURIComponent(booking.code)}/outcome`, {
        status,
      });
      onChanged({ ...booking, status: answer.status });
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };
  return (
    <li className="row" data-testid="slot-booking" data-code={booking.code} data-status={booking.status}>
      <span className="grow">
        {booking.code} · {booking.name} · {booking.phone} ·{' '}
        <strong data-testid="booking-state">{t(`staffServices.slots.status.${booking.status}`)}</strong>
      </span>
      {booking.status !== 'cancelled' && (
        <fieldset className="row" aria-label={t('staffServices.slots.outcomeFor', { ref: booking.code })}>
          {outcomes.map((status) => (
            <button
              key={status}
              type="button"
              aria-pressed={booking.status === status}
              onClick={() => void record(status)}
              data-testid="consultation-outcome"
              data-outcome={status}
            >
              {t(status === 'completed' ? 'staffServices.slots.completed' : 'staffServices.slots.noShow')}
            </button>
          ))}
        </fieldset>
      )}
      {error && <p role="alert">{error}</p>}
    </li>
  );
}

/** One slot with its bookings; at slot time the lawyer starts it and gets a room per booking. */
function SlotItem({ slot, sites, onChanged }: { slot: ConsultationSlot; sites: Site[]; onChanged: (slot: ConsultationSlot) => void }) {
  const { t } = useTranslation();
  const [started, setStarted] = useState<StartedConsultation[]>([]);
  const [error, setError] = useState<string>();
  const start = async () => {
    setError(undefined);
    try {
      const answer = await staffApi<{ sessions: StartedConsultation[] }>('POST', `/slots/${encodeURIComponent(slot.id)}/start`);
      setStarted((list) => [...list, ...answer.sessions]);
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };
  const where = slot.online ? t('staffServices.slots.online') : (sites.find((s) => s.id === slot.siteId)?.name ?? '');
  return (
    <li className="seat-link" data-testid="slot-item" data-slot-id={slot.id}>
      <strong>{chinaTime(slot.startsAt)}</strong>
      <span>
        {slot.lawyerName} · {where} ·{' '}
        {t('staffServices.slots.summary', { minutes: slot.durationMinutes, left: slot.placesLeft, capacity: slot.capacity })}
      </span>
      {slot.bookings.length === 0 && <p className="muted">{t('staffServices.slots.noBookings')}</p>}
      <ul className="plain">
        {slot.bookings.map((b) => (
          <BookingRow
            key={b.code}
            booking={b}
            onChanged={(next) => onChanged({ ...slot, bookings: slot.bookings.map((x) => (x.code === next.code ? next : x)) })}
          />
        ))}
      </ul>
      {slot.bookings.some((b) => b.status === 'booked') && (
        <button type="button" className="primary" onClick={() => void start()} data-testid="consultation-start">
          {t('staffServices.slots.start')}
        </button>
      )}
      {started.map((s) => (
        <a key={s.sessionId} className="button-link" href={s.lawyerUrl} target="_blank" rel="noopener" data-testid="consultation-room">
          {t('staffServices.slots.enter', { ref: s.code })}
        </a>
      ))}
      {error && <p role="alert">{error}</p>}
    </li>
  );
}

/** Consultations (for lawyers): publish slots, see their bookings, start at slot time, record completed or no-show. */
export function ConsultationsView({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [slots, setSlots] = useState<ConsultationSlot[]>();
  const [sites, setSites] = useState<Site[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      staffApi<{ slots: ConsultationSlot[] }>('GET', '/slots/mine').then(
        (answer) => setSlots(answer.slots),
        (err: unknown) => setError(serviceErrorText(t, err)),
      ),
    [t],
  );
  useEffect(() => {
    void load();
    // Sites only name where a slot is; without them the form still offers online slots.
    staffApi<{ sites: Site[] }>('GET', '/sites').then(
      (answer) => setSites(answer.sites),
      () => setSites([]),
    );
  }, [load]);

  const changed = (next: ConsultationSlot) => setSlots((list) => list?.map((s) => (s.id === next.id ? next : s)));

  return (
    <div className="columns" data-testid="slots-view">
      <section aria-labelledby="slots-heading">
        <h2 id="slots-heading">{t('staffServices.slots.list')}</h2>
        {error && <p role="alert">{error}</p>}
        {!slots && !error && <p>{t('errors.loading')}</p>}
        {slots?.length === 0 && <p className="muted">{t('staffServices.slots.none')}</p>}
        <ul className="plain" data-testid="slot-list">
          {slots?.map((s) => (
            <SlotItem key={s.id} slot={s} sites={sites} onChanged={changed} />
          ))}
        </ul>
      </section>
      <section aria-label={t('staffServices.slots.publish')}>
        <SlotForm account={account} sites={sites} onPublished={() => void load()} />
      </section>
    </div>
  );
}
