import { en } from './en.js';
import { errorsEn } from './errors.en.js';
import { servicesEn } from './services.en.js';
import { officeEn } from './staff.en.js';

/** The whole English translation, loaded only when someone picks English (see setupI18n). */
export const english = { ...en, ...servicesEn, office: officeEn, catalogue: errorsEn };
