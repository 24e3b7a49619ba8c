export * from './audience.js';
export * from './domainEvents.js';
export * from './errors.js';
export * from './events.js';
export * from './mediaParameters.js';
export * from './policy.js';
export * from './roles.js';
export * from './session.js';
