import { useTranslation } from 'react-i18next';

/** Name and phone, as every public form asks them (no account: this is how staff reach the person). */
export function ContactFields() {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('legalAid.name')}
        <input name="name" required maxLength={64} autoComplete="name" />
      </label>
      <label>
        {t('legalAid.phone')}
        <input name="phone" required inputMode="tel" pattern="\+?[0-9]{7,15}" autoComplete="tel" />
      </label>
    </>
  );
}
