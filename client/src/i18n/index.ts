import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { errorsZhCN } from './errors.zh-CN.js';
import { servicesZhCN } from './services.zh-CN.js';
import { officeZhCN } from './staff.zh-CN.js';
import { zhCN } from './zh-CN.js';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'courtlink.language';

function initialLanguage(): Language {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(storageKey) : null;
  return (languages as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'zh-CN';
}

/**
 * English arrives in its own chunk when chosen: most people read Chinese, and on a 300 kbit/s village
 * link the English catalogues in the first script cost a quarter of a second before the self-test.
 */
async function englishBundle() {
  return (await import('./english.js')).english;
}

/** Simplified Chinese unless the person chose English before. */
export async function setupI18n(): Promise<typeof i18next> {
  const language = initialLanguage();
  await i18next.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: { ...zhCN, ...servicesZhCN, office: officeZhCN, catalogue: errorsZhCN } },
      ...(language === 'en' ? { en: { translation: await englishBundle() } } : {}),
    },
    partialBundledLanguages: true,
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  reflectLanguage();
  return i18next;
}

export async function switchLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18next.hasResourceBundle('en', 'translation')) {
    i18next.addResourceBundle('en', 'translation', await englishBundle());
  }
  await i18next.changeLanguage(language);
  localStorage.setItem(storageKey, language);
  reflectLanguage();
}

/** The page's lang attribute (for screen readers) and its title follow the chosen language. */
function reflectLanguage(): void {
  document.documentElement.lang = i18next.language;
  document.title = i18next.t('app.name');
}
