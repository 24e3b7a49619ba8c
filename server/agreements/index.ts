// Mediation agreements inside a session, judicial confirmation, and their signed documents.
export type { AgreementDeps } from './AgreementDeps.js';
export { AgreementDrafting, maskIp } from './AgreementDrafting.js';
export { AgreementStore } from './AgreementStore.js';
