import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';

/**
 * The Origin allow-list of every websocket: a browser's socket must come from a page of the origin it connects
 * to, or from one of `allowed` (the configured public URL behind a proxy that rewrites Host). Without this a page
 * of a learner's app could open the instructor's read-only terminals with the instructor's own cookie. A client
 * that sends no Origin is not a browser and carries no ambient credentials, so it passes (its token still counts).
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.host === req.headers.host) return true;
  return allowed.some((url) => {
    try {
      return new URL(url).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}

/** Throws 403 for a websocket from a foreign page (see originAllowed). */
export function requireSameOrigin(req: IncomingMessage, allowed: readonly string[] = []): void {
  if (!originAllowed(req, allowed)) throw new HttpError(403, 'origin_refused', `websockets from ${String(req.headers.origin).slice(0, 100)} are not accepted here`);
}
