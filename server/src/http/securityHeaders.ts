/**
 * Security headers for every response, with a content security policy that lets the pages load
 * only their own scripts and styles, talk only to this server, and show media only from their
 * own camera and WebRTC streams.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** helmet with Bilik's content security policy. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        // socket.io's websocket and long-polling fallback, to this origin only.
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The kiosk and console never embed or are embedded; nothing cross-origin is loaded.
    crossOriginEmbedderPolicy: false,
    // Not helmet's no-referrer: under it browsers send `Origin: null` with a page's own form
    // posts, which the cross-site request guard must refuse. Other sites still learn nothing.
    referrerPolicy: { policy: 'same-origin' },
  });
}
