export * from './errors.js';
export * from './protocol.js';
