import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseForm, type NewCaseBody } from './CaseForm.js';
import { type LegalAidApplication, serviceErrorText } from './servicesApi.js';
import { type Account, type Site, staffApi } from './staffApi.js';

/** Accepts a legal-aid application (法律援助), which opens a case, or rejects it with a reason the applicant reads by code. */
export function LegalAidDecide({
  application,
  account,
  sites,
  onDecided,
}: {
  application: LegalAidApplication;
  account: Account;
  sites: Site[];
  onDecided: (application: LegalAidApplication) => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'accept' | 'reject'>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (body: unknown) => {
    const answer = await staffApi<{ application: LegalAidApplication }>(
      'POST',
      `/legal-aid/${encodeURIComponent(application.code)}/decide`,
      body,
    );
    onDecided(answer.application);
  };
  const reject = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await decide({ reject: reason });
    } catch (err) {
      setError(serviceErrorText(t, err));
    }
  };

  return (
    <div className="stack" data-testid="legal-aid-decide">
      <div className="row">
        <button type="button" aria-pressed={mode === 'accept'} onClick={() => setMode('accept')} data-testid="legal-aid-accept">
          {t('staffServices.intake.accept')}
        </button>
        <button type="button" aria-pressed={mode === 'reject'} onClick={() => setMode('reject')} data-testid="legal-aid-reject">
          {t('staffServices.intake.reject')}
        </button>
      </div>
      {mode === 'accept' && (
        <CaseForm
          account={account}
          sites={sites}
          save={(body: NewCaseBody) => decide({ accept: body })}
          heading={t('staffServices.intake.accept')}
        />
      )}
      {mode === 'reject' && (
        <form onSubmit={(e) => void reject(e)} className="stack">
          <label>
            {t('staffServices.intake.reason')}
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} data-testid="legal-aid-reason" />
          </label>
          <button type="submit" className="danger" data-testid="legal-aid-confirm-reject">
            {t('staffServices.intake.confirmReject')}
          </button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
