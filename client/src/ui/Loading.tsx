import { useTranslation } from 'react-i18next';

/** Shown while a lazily loaded screen (the room, the staff area) arrives over a slow link. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <main aria-busy="true" className="centered">
      {t('errors.loading')}
    </main>
  );
}
