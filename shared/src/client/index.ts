export * from './capture.js';
export * from './describeError.js';
export * from './deskLink.js';
export * from './dom.js';
export * from './i18n.js';
export * from './linkRetry.js';
export * from './mediaSession.js';
export * from './request.js';
