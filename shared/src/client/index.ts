export * from './capture.js';
export * from './deskLink.js';
export * from './mediaSession.js';
export * from './request.js';
