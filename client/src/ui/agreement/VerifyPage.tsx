import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch.js';

type Signature = {
  field: string;
  valid: boolean;
  signer: string;
  signingTime?: string;
  modifiedAfterSigning: boolean;
  development: boolean;
  binding: { auditHead?: string; recordingManifestSha256?: string; agreementSha256?: string };
};
type Report = { ok: boolean; signatures: Signature[] };

/** Public /verify: upload a signed agreement or ruling and see each seal checked by the server (POST /api/verify). */
export function VerifyPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setReport(undefined);
    setError(undefined);
    const res = await fetch('/api/verify', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file }).catch(
      () => undefined,
    );
    if (res?.status === 413) return setError(t('agreement.verify.tooLarge'));
    if (!res?.ok) return setError(t('agreement.verify.notPdf'));
    setReport((await res.json()) as Report);
  };

  return (
    <main className="staff" aria-labelledby="verify-title" data-testid="verify-page">
      <header className="bar">
        <h1 id="verify-title">{t('agreement.verify.title')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('agreement.verify.intro')}</p>
      <form onSubmit={(e) => void check(e)} className="row">
        <label className="grow">
          {t('agreement.verify.file')}
          <input type="file" accept="application/pdf,.pdf" data-testid="verify-file" onChange={(e) => setFile(e.target.files?.[0])} />
        </label>
        <button type="submit" className="primary" data-testid="verify-submit" disabled={!file}>
          {t('agreement.verify.check')}
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      {report && report.signatures.length === 0 && <p role="alert">{t('agreement.verify.none')}</p>}
      {report && (
        <ul className="plain" data-testid="verify-result" data-ok={report.ok}>
          {report.signatures.map((s) => (
            <li key={s.field} data-testid="verify-signature" data-valid={s.valid}>
              <strong>{s.valid ? t('agreement.verify.valid') : t('agreement.verify.invalid')}</strong> · {s.field}
              {s.development && <span className="badge">{t('agreement.devCert')}</span>}
              <br />
              {t('agreement.verify.signer', { name: s.signer })}
              <br />
              {s.signingTime && t('agreement.verify.time', { time: new Date(s.signingTime).toLocaleString() })}
              <br />
              {s.modifiedAfterSigning ? t('agreement.verify.modified') : t('agreement.verify.unmodified')}
              {s.binding.auditHead && <code className="hash">{t('agreement.verify.audit', { hash: s.binding.auditHead })}</code>}
              {s.binding.recordingManifestSha256 && (
                <code className="hash">{t('agreement.verify.recording', { hash: s.binding.recordingManifestSha256 })}</code>
              )}
              {s.binding.agreementSha256 && (
                <code className="hash">{t('agreement.verify.agreementHash', { hash: s.binding.agreementSha256 })}</code>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
