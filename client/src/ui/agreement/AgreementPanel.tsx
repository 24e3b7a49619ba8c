import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { errorText } from '../errorText.js';
import { AgreementEditor } from './AgreementEditor.js';
import { CourtDecision } from './CourtDecision.js';
import { DocumentLinks } from './DocumentLinks.js';
import { SignaturePad } from './SignaturePad.js';

/**
 * The agreement sheet (over the video, like chat). The host mediator edits;
 * parties read, confirm clause by clause and sign on their own line; the
 * mediator finalizes and calls the court; court staff decide. The server's
 * policy decides each request again; this only hides what it would refuse.
 */
export function AgreementPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const agreement = room.agreement;
  const you = room.you;
  useEffect(() => {
    if (!agreement) void client.agreement.load().catch(() => undefined);
  }, [client, agreement]);
  if (!you) return null;

  const fail = (err: unknown) => setError(errorText(t, err));
  const editing = client.may('edit_agreement') && (agreement?.status ?? 'none') !== 'signed' && !agreement?.decision;
  const draft = agreement?.draft;
  const myParty = draft?.parties.find((p) => p.seatId === you.seatId);
  const signatureOf = (partyId: string) => agreement?.signatures.find((s) => s.partyId === partyId);
  const allConfirmed = !!draft && draft.terms.every((c) => agreement?.confirmations[c.id]?.includes(you.seatId));
  const allSigned = !!draft && draft.parties.every((p) => signatureOf(p.id));
  const status = agreement?.status ?? 'none';

  return (
    <div className="agreement" data-testid="agreement-panel" data-status={status} data-version={agreement?.version ?? 0}>
      <p>
        <strong data-testid="agreement-status">{t(`agreement.status.${status}`)}</strong>
        {agreement && agreement.version > 0 && <> · {t('agreement.version', { version: agreement.version })}</>}
      </p>
      {error && (
        <p role="alert" className="banner">
          {t('agreement.failed', { message: error })}
        </p>
      )}
      {editing && status !== 'signed' && <AgreementEditor key={agreement?.version ?? 0} client={client} room={room} onError={fail} />}
      {!draft && !editing && <p className="muted">{t('agreement.empty')}</p>}
      {draft && (
        <section aria-labelledby="terms-heading">
          <h3 id="terms-heading">{t('agreement.terms')}</h3>
          <ol className="clauses">
            {draft.terms.map((clause) => {
              const confirmedBy = agreement?.confirmations[clause.id] ?? [];
              const mine = confirmedBy.includes(you.seatId);
              return (
                <li key={clause.id} data-testid="agreement-term" data-clause={clause.id}>
                  <p>{clause.text}</p>
                  <p className="muted">{t('agreement.confirmedBy', { count: confirmedBy.length })}</p>
                  {myParty && status === 'draft' && (
                    <button
                      type="button"
                      data-testid="clause-confirm"
                      data-clause={clause.id}
                      aria-pressed={mine}
                      disabled={mine}
                      onClick={() => void client.agreement.confirmClause(you.seatId, clause.id).catch(fail)}
                    >
                      {mine ? t('agreement.confirmed') : t('agreement.confirm')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          <ul className="plain">
            {draft.parties.map((p) => {
              const signed = signatureOf(p.id);
              return (
                <li key={p.id} data-testid="agreement-signature" data-party={p.id} data-signed={signed ? 'yes' : 'no'}>
                  {p.side}：{p.name} ·{' '}
                  {signed ? t('agreement.signedAt', { time: new Date(signed.signedAt).toLocaleString() }) : t('agreement.notSigned')}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {myParty &&
        status === 'draft' &&
        !signatureOf(myParty.id) &&
        (allConfirmed ? (
          <SignaturePad onSubmit={(png) => client.agreement.sign(you.seatId, png).then(() => undefined, fail)} />
        ) : (
          <p className="muted">{t('agreement.confirmAllFirst')}</p>
        ))}
      {client.may('edit_agreement') && status === 'draft' && allSigned && (
        <button
          type="button"
          className="primary"
          data-testid="agreement-finalize"
          onClick={() => void client.agreement.finalize().catch(fail)}
        >
          {t('agreement.finalize')}
        </button>
      )}
      {client.may('call_court') && draft && !agreement?.courtCalled && (
        <button type="button" data-testid="call-court" onClick={() => void client.agreement.callCourt().catch(fail)}>
          {t('agreement.callCourt')}
        </button>
      )}
      {agreement?.courtCalled && !agreement.decision && <p className="muted">{t('agreement.courtCalled')}</p>}
      {you.role === 'court_staff' && status === 'signed' && !agreement?.decision && <CourtDecision client={client} onError={fail} />}
      {agreement?.decision && (
        <p data-testid="court-decision" data-confirmed={agreement.decision.confirmed}>
          {t('agreement.decided', { result: t(`agreement.status.${agreement.decision.confirmed ? 'confirmed' : 'refused'}`) })}
        </p>
      )}
      <DocumentLinks client={client} documents={agreement?.documents ?? []} />
    </div>
  );
}
