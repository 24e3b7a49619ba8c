import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile, errorText } from './staffApi.js';

export type Seat = { seatId: string; role: string; displayName: string; url: string; expiresAt: string };

/** One seat's join link: the QR code to scan, a copy button and, where the session has one, the printable slip. */
export function SeatLink({ seat, slipPath }: { seat: Seat; slipPath?: string | undefined }) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    QRCode.toDataURL(seat.url, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then(setQr, () => setQr(undefined));
  }, [seat.url]);

  const copy = async () => {
    await navigator.clipboard.writeText(seat.url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const slip = (path: string) =>
    downloadFile('POST', path, `slip-${seat.seatId}.pdf`, {
      url: seat.url,
      displayName: seat.displayName,
      expiresAt: seat.expiresAt,
    }).catch((err: unknown) => setError(errorText(t, err)));

  return (
    <li className="seat-link" data-testid="seat-link" data-name={seat.displayName}>
      <strong>{seat.displayName}</strong> · {t(`roles.${seat.role}`)}
      {qr && <img src={qr} width={240} height={240} alt={t('office.cases.qrAlt', { name: seat.displayName })} data-testid="seat-qr" />}
      <input readOnly value={seat.url} aria-label={t('office.cases.link', { name: seat.displayName })} data-testid="seat-url" />
      <div className="row">
        <button type="button" onClick={() => void copy()} data-testid="copy-link">
          {copied ? t('office.cases.copied') : t('office.cases.copy')}
        </button>
        {slipPath && (
          <button type="button" onClick={() => void slip(slipPath)} data-testid="slip-pdf">
            {t('office.cases.slip')}
          </button>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
    </li>
  );
}
