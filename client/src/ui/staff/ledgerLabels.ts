import type { LedgerEntry } from './staffApi.js';

// The lists and the rule for hand-set outcomes come from the contract, which the server validates against.
export { editableOutcomes, ledgerTypes, outcomes as ledgerOutcomes } from '../../../../signaling/index.js';

/** A ledger line with the fields issue 12 added. */
export type LedgerLine = LedgerEntry & { source?: string; referenceId?: string };

/** The i18n key of an outcome's label (every outcome has one: signaling/ledgerLabels.ts in Chinese). */
export const outcomeKeys = (outcome: string) => `ledgerSources.outcome.${outcome}`;
export const typeKeys = (type: string) => [`ledgerSources.type.${type}`, `staff.type.${type}`];
