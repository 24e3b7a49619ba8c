import { useTranslation } from 'react-i18next';
import { switchLanguage } from '../i18n/index.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="link-button"
      data-testid="language-switch"
      aria-label={t('app.languageLabel')}
      onClick={() => void switchLanguage(next)}
    >
      {t('app.language')}
    </button>
  );
}
