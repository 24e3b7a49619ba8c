import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseForm, type NewCaseBody } from './CaseForm.js';
import { serviceErrorText, type WorkOrder } from './servicesApi.js';
import { type Account, chinaTime, type Site, staffApi } from './staffApi.js';

type OpenSlot = { id: string; lawyerName: string; startsAt: string; placesLeft: number };
const ways = ['answer', 'booking', 'case'] as const;
type Way = (typeof ways)[number];
const wayLabel: Record<Way, string> = { answer: 'asAnswer', booking: 'asBooking', case: 'asCase' };

/** Turns one new 12348 work order into a closed answer, a consultation booking or a mediation case. */
export function WorkOrderResolve({
  order,
  account,
  sites,
  onResolved,
}: {
  order: WorkOrder;
  account: Account;
  sites: Site[];
  onResolved: (order: WorkOrder) => void;
}) {
  const { t } = useTranslation();
  const [way, setWay] = useState<Way>('answer');
  const [answer, setAnswer] = useState('');
  const [slots, setSlots] = useState<OpenSlot[]>([]);
  const [slotId, setSlotId] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (way !== 'booking') return;
    staffApi<{ slots: OpenSlot[] }>('GET', '/slots').then(
      (answer) => setSlots(answer.slots.filter((s) => s.placesLeft > 0)),
      (err: unknown) => setError(serviceErrorText(t, err)),
    );
  }, [way, t]);

  const resolve = async (body: unknown) => {
    const { order: next } = await staffApi<{ order: WorkOrder }>(
      'POST',
      `/intake/work-orders/${encodeURIComponent(order.id)}/resolve`,
      body,
    );
    onResolved(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await resolve(way === 'answer' ? { as: 'answer', answer } : { as: 'booking', slotId: slotId || slots[0]?.id });
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };
  const asCase = async (body: NewCaseBody) => {
    setError(undefined);
    await resolve({ as: 'case', case: body });
  };

  return (
    <div className="stack" data-testid="work-order-resolve">
      <label>
        {t('staffServices.intake.as')}
        <select value={way} onChange={(e) => setWay(e.target.value as Way)} data-testid="work-order-way">
          {ways.map((w) => (
            <option key={w} value={w}>
              {t(`staffServices.intake.${wayLabel[w]}`)}
            </option>
          ))}
        </select>
      </label>
      {way === 'case' ? (
        <CaseForm account={account} sites={sites} save={asCase} heading={t('staffServices.intake.asCase')} />
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          {way === 'answer' ? (
            <label>
              {t('staffServices.intake.answer')}
              <textarea
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
                required
                maxLength={2000}
                data-testid="work-order-answer"
              />
            </label>
          ) : slots.length === 0 ? (
            <p className="muted">{t('staffServices.intake.noSlots')}</p>
          ) : (
            <label>
              {t('staffServices.intake.slot')}
              <select value={slotId} onChange={(e) => setSlotId(e.target.value)} data-testid="work-order-slot">
                {slots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {chinaTime(s.startsAt)} · {s.lawyerName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className="primary" disabled={way === 'booking' && slots.length === 0} data-testid="work-order-submit">
            {t('staffServices.intake.submit')}
          </button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
