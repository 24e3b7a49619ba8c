import { useTranslation } from 'react-i18next';
import type { DocumentInfo } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';

/** Saves a fetched PDF: the download needs the seat's token, so a plain href cannot do it. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The session's signed documents; one signed with a development certificate is marked 开发测试证书. */
export function DocumentLinks({ client, documents }: { client: RoomClient; documents: DocumentInfo[] }) {
  const { t } = useTranslation();
  if (documents.length === 0) return null;
  return (
    <section aria-labelledby="documents-heading">
      <h3 id="documents-heading">{t('agreement.documents')}</h3>
      <ul className="plain">
        {documents.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className="link-button"
              data-testid="document-download"
              data-kind={d.kind}
              data-document={d.id}
              onClick={() => void client.agreement.download(d.id).then((blob) => save(blob, `${d.kind}-${d.id}.pdf`))}
            >
              {t('agreement.download', { kind: t(`agreement.kinds.${d.kind}`) })}
            </button>
            {d.development && (
              <span className="badge" data-testid="dev-certificate">
                {t('agreement.devCert')}
              </span>
            )}
            <code className="hash">SHA-256 {d.sha256.slice(0, 16)}…</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
