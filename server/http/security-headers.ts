import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for the workshop's own pages and API (learners' apps are served elsewhere, on their own
 * origin, and keep their own headers): scripts only from here, no framing by other sites, no MIME sniffing,
 * no referrer leaving (links carry tokens in their query). Styles allow inline: xterm.js writes `<style>`
 * elements for its themes; websockets to this origin are covered by `'self'`.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // The server speaks plain HTTP unless a proxy in front terminates TLS; HSTS is that proxy's decision.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
