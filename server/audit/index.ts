export { type AuditHead, AuditTrail, maskEventData, type StateWrite } from './AuditTrail.js';
export { AuditEntry, type ChainVerdict, genesisHash, hashEntry, verifyChain } from './chain.js';
