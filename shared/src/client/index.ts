export * from './mediaSession.js';
export * from './request.js';
