import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient } from '../../room/index.js';

/** Court staff record the decision on a signed agreement (司法确认): confirmed, or not with a reason. */
export function CourtDecision({ client, onError }: { client: RoomClient; onError(err: unknown): void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(true);
  const [reason, setReason] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const decision = confirmed ? { confirmed: true } : { confirmed: false, reason: reason.trim() };
    void client.agreement.decide({ ...decision, ...(caseNumber.trim() ? { caseNumber: caseNumber.trim() } : {}) }).catch(onError);
  };
  return (
    <form onSubmit={submit} aria-labelledby="decision-heading">
      <h3 id="decision-heading">{t('agreement.decision')}</h3>
      <label>
        <input type="radio" name="decision" checked={confirmed} onChange={() => setConfirmed(true)} />
        {t('agreement.confirmYes')}
      </label>
      <label>
        <input type="radio" name="decision" checked={!confirmed} onChange={() => setConfirmed(false)} />
        {t('agreement.confirmNo')}
      </label>
      {!confirmed && (
        <label>
          {t('agreement.reason')}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} required />
        </label>
      )}
      <label>
        {t('agreement.rulingNumber')}
        <input value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} maxLength={64} />
      </label>
      <button type="submit" className="primary" data-testid="confirm-decision">
        {t('agreement.decide')}
      </button>
    </form>
  );
}
