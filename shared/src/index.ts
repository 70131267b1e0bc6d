export * from './errors.js';
export * from './protocol.js';
export * from './journey.js';
export * from './outcome.js';
export * from './fleet.js';
export * from './liveness.js';
