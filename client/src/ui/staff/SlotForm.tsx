import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NumberField, SiteSelect } from './FormFields.js';
import { fromBeijingLocal, serviceErrorText, toBeijingLocal } from './servicesApi.js';
import { type Account, type Site, staffApi } from './staffApi.js';

/** Publishes a consultation slot (法律咨询预约): online or at one of the organisation's sites. */
export function SlotForm({ account, sites, onPublished }: { account: Account; sites: Site[]; onPublished: () => void }) {
  const { t } = useTranslation();
  const [lawyerName, setLawyerName] = useState(account.displayName);
  const [online, setOnline] = useState(true);
  const [siteId, setSiteId] = useState('');
  // Tomorrow at the same time, rounded to the minute: slots are published ahead.
  const [startsAt, setStartsAt] = useState(() => toBeijingLocal(Date.now() + 24 * 3600_000));
  const [minutes, setMinutes] = useState(30);
  const [capacity, setCapacity] = useState(1);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const site = siteId || sites[0]?.id;
    try {
      await staffApi('POST', '/slots', {
        lawyerName,
        online,
        ...(!online && site ? { siteId: site } : {}),
        startsAt: fromBeijingLocal(startsAt),
        durationMinutes: minutes,
        capacity,
      });
      onPublished();
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" aria-labelledby="slot-publish-heading" data-testid="slot-publish">
      <h3 id="slot-publish-heading">{t('staffServices.slots.publish')}</h3>
      <label>
        {t('staffServices.slots.lawyerName')}
        <input value={lawyerName} onChange={(e) => setLawyerName(e.target.value)} required data-testid="slot-lawyer" />
      </label>
      <label>
        {t('staffServices.slots.mode')}
        <select value={online ? 'online' : 'site'} onChange={(e) => setOnline(e.target.value === 'online')} data-testid="slot-mode">
          <option value="online">{t('staffServices.slots.online')}</option>
          <option value="site">{t('staffServices.slots.atSite')}</option>
        </select>
      </label>
      {!online && <SiteSelect label={t('staffServices.slots.site')} sites={sites} value={siteId} onChange={setSiteId} testId="slot-site" />}
      <label>
        {t('staffServices.slots.startsAt')}
        <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required data-testid="slot-when" />
      </label>
      <NumberField
        label={t('staffServices.slots.duration')}
        min={10}
        max={240}
        value={minutes}
        onChange={setMinutes}
        testId="slot-duration"
      />
      <NumberField
        label={t('staffServices.slots.capacity')}
        min={1}
        max={20}
        value={capacity}
        onChange={setCapacity}
        testId="slot-capacity"
      />
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" data-testid="slot-create">
        {t('staffServices.slots.create')}
      </button>
    </form>
  );
}
