export { loadOrCreateSecret, secretPath } from './secret.js';
export { audiences, type StaffClaims, TokenService } from './tokens.js';
