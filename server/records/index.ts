export { AccountStore } from './AccountStore.js';
export { RecordAccess } from './access.js';
export { CaseStore } from './CaseStore.js';
export { LedgerStore, type LinePatch, type OutcomeEditedHook } from './LedgerStore.js';
export { type SessionEnded, writeLedgerEntry } from './ledgerWriter.js';
export { OrgStore } from './OrgStore.js';
export * from './schemas.js';
