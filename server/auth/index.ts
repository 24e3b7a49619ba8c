export { hashPassword, verifyPassword } from './accountsPassword.js';
export { cookieSigningKey, LoginSessions, loginCookie } from './LoginSessions.js';
export { defaultLoginThrottle, LoginThrottle, type LoginThrottleOptions } from './LoginThrottle.js';
export { loadOrCreateSecret, secretPath } from './secret.js';
export { createActorResolver, requireStaff, type StaffActor, type StaffRole } from './staffActor.js';
export { audiences, type StaffClaims, TokenService } from './tokens.js';
