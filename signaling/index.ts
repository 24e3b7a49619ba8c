export * from './agreement.js';
export * from './errors.js';
export * from './events.js';
export * from './mediaParameters.js';
export * from './roles.js';
export * from './session.js';
