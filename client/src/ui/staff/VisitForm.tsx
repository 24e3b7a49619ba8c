import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NumberField } from './FormFields.js';
import { fromBeijingLocal, serviceErrorText, toBeijingLocal, type VisitLinks } from './servicesApi.js';
import { type Account, staffApi } from './staffApi.js';

type Member = { name: string; relationship: string; phone: string };
const emptyMember = (): Member => ({ name: '', relationship: '', phone: '' });
const memberFields = [
  ['name', 'familyName', 'text'],
  ['relationship', 'relationship', 'text'],
  ['phone', 'phone', 'tel'],
] as const;

/** Schedules a supervised visit (社区矫正远程视频会见): the officer hosts, the supervised person and family get links. */
export function VisitForm({
  account,
  onScheduled,
}: {
  account: Account;
  onScheduled: (links: VisitLinks & { sessionId: string }) => void;
}) {
  const { t } = useTranslation();
  const [officerName, setOfficerName] = useState(account.displayName);
  const [supervised, setSupervised] = useState('');
  const [family, setFamily] = useState<Member[]>([emptyMember()]);
  // A quarter of an hour ahead, rounded to the minute: the usual case is "later today".
  const [when, setWhen] = useState(() => toBeijingLocal(Date.now() + 15 * 60_000));
  const [minutes, setMinutes] = useState(30);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const setMember = (index: number, field: keyof Member, value: string) =>
    setFamily((list) => list.map((m, i) => (i === index ? { ...m, [field]: value } : m)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const scheduled = await staffApi<VisitLinks & { sessionId: string }>('POST', '/visits', {
        officerName,
        supervisedPerson: { name: supervised },
        family,
        scheduledAt: fromBeijingLocal(when),
        durationSeconds: minutes * 60,
      });
      onScheduled(scheduled);
      setSupervised('');
      setFamily([emptyMember()]);
    } catch (err) {
      setError(serviceErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" aria-labelledby="visit-schedule-heading" data-testid="visit-schedule">
      <h3 id="visit-schedule-heading">{t('staffServices.visits.schedule')}</h3>
      <label>
        {t('staffServices.visits.officerName')}
        <input value={officerName} onChange={(e) => setOfficerName(e.target.value)} required data-testid="visit-officer" />
      </label>
      <label>
        {t('staffServices.visits.supervised')}
        <input value={supervised} onChange={(e) => setSupervised(e.target.value)} required data-testid="visit-supervised" />
      </label>
      {family.map((member, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved, and are only appended or removed.
        <fieldset key={i} data-testid={`visit-family-${i}`}>
          <legend>{t('staffServices.visits.familyLegend', { n: i + 1 })}</legend>
          {memberFields.map(([field, label, type]) => (
            <label key={field}>
              {t(`staffServices.visits.${label}`)}
              <input
                type={type}
                value={member[field]}
                onChange={(e) => setMember(i, field, e.target.value)}
                required
                data-testid={`visit-family-${i}-${field}`}
              />
            </label>
          ))}
          {family.length > 1 && (
            <button type="button" onClick={() => setFamily((list) => list.filter((_, j) => j !== i))}>
              {t('staffServices.visits.removeFamily')}
            </button>
          )}
        </fieldset>
      ))}
      {family.length < 10 && (
        <button type="button" onClick={() => setFamily((list) => [...list, emptyMember()])} data-testid="visit-add-family">
          {t('staffServices.visits.addFamily')}
        </button>
      )}
      <label>
        {t('staffServices.visits.when')}
        <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required data-testid="visit-when" />
      </label>
      <NumberField
        label={t('staffServices.visits.duration')}
        min={5}
        max={240}
        value={minutes}
        onChange={setMinutes}
        testId="visit-duration"
      />
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy} data-testid="visit-create">
        {t('staffServices.visits.create')}
      </button>
    </form>
  );
}
