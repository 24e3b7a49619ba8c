import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch.js';
import './sites.css';
import { ContactFields } from './ContactFields.js';

const incomeBands = ['minimum_living_allowance', 'low_income', 'below_local_standard', 'other'] as const;

/** One key per filled-in form: a double tap on "submit" is one application. */
function formKey(): string {
  return crypto.randomUUID();
}

/** /legal-aid: the self-service legal-aid application (issue 12). No sign-in; phone (360 px) and kiosk (1280×1024) alike. */
export function LegalAidPage() {
  const { t } = useTranslation();
  const [centres, setCentres] = useState<{ id: string; name: string }[]>([]);
  const [key] = useState(formKey);
  const [code, setCode] = useState<string>();
  const [failed, setFailed] = useState(false);
  const [sending, setSending] = useState(false);
  const [lookup, setLookup] = useState('');
  const [status, setStatus] = useState<{ status: string; reason?: string }>();

  useEffect(() => {
    fetch('/api/legal-aid/centres')
      .then((r) => r.json())
      .then((a: { centres: { id: string; name: string }[] }) => setCentres(a.centres))
      .catch(() => undefined);
  }, []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setSending(true);
    setFailed(false);
    const res = await fetch('/api/legal-aid', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientKey: key,
        siteId: data.get('siteId'),
        applicant: { name: data.get('name'), phone: data.get('phone') },
        matter: data.get('matter'),
        incomeBand: data.get('incomeBand'),
        consent: data.get('consent') === 'on',
      }),
    }).catch(() => undefined);
    setSending(false);
    if (res?.ok) setCode(((await res.json()) as { code: string }).code);
    else setFailed(true);
  };

  const check = async (e: FormEvent) => {
    e.preventDefault();
    const res = await fetch(`/api/legal-aid/${encodeURIComponent(lookup.trim().toUpperCase())}`).catch(() => undefined);
    setStatus(res?.ok ? ((await res.json()) as { status: string; reason?: string }) : { status: 'unknown' });
  };

  return (
    <main className="sites-page legal-aid" data-testid="legal-aid-page">
      <header className="bar">
        <h1>{t('legalAid.title')}</h1>
        <LanguageSwitch />
      </header>
      {code ? (
        <p role="status" data-testid="legal-aid-code" data-code={code}>
          {t('legalAid.submitted', { ref: code })}
        </p>
      ) : (
        <form className="legal-aid-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('legalAid.centre')}
            <select name="siteId" required data-testid="legal-aid-centre">
              {centres.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <ContactFields />
          <label>
            {t('legalAid.matter')}
            <textarea name="matter" required maxLength={2000} rows={4} />
          </label>
          <label>
            {t('legalAid.income')}
            <select name="incomeBand" required>
              {incomeBands.map((b) => (
                <option key={b} value={b}>
                  {t(`legalAid.bands.${b}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="consent">
            <input type="checkbox" name="consent" required />
            {t('legalAid.consent')}
          </label>
          <button type="submit" disabled={sending} data-testid="legal-aid-submit">
            {t('legalAid.submit')}
          </button>
          {failed && <p role="alert">{t('legalAid.failed')}</p>}
        </form>
      )}
      <form className="legal-aid-form" onSubmit={(e) => void check(e)}>
        <label>
          {t('legalAid.checkCode')}
          <input value={lookup} onChange={(e) => setLookup(e.target.value)} data-testid="legal-aid-lookup" />
        </label>
        <button type="submit">{t('legalAid.check')}</button>
        {status && (
          <p role="status" data-testid="legal-aid-status" data-status={status.status}>
            {t(`legalAid.status.${status.status}`)}
            {status.reason ? ` ${status.reason}` : ''}
          </p>
        )}
      </form>
    </main>
  );
}
