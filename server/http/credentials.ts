import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';

export const INSTRUCTOR_COOKIE = 'workshop_instructor';
export const LEARNER_COOKIE = 'workshop_learner';
/** Set by the port proxy for pages opened from a node's published port, scoped to the session's node paths. */
export const PORT_COOKIE = 'workshop_token';

export interface Credential {
  token: string;
  /** Where it came from: a token from the query is turned into a cookie by the port proxy. */
  source: 'header' | 'query' | 'cookie';
}

/**
 * The one credential parser: `Authorization: Bearer …`, then (for websockets and links) a `token` query
 * parameter, then the named cookie when there is one.
 */
export function readCredential(req: IncomingMessage, cookieName?: string): Credential | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    if (token) return { token, source: 'header' };
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  if (query) return { token: query, source: 'query' };
  const cookie = cookieName ? parseCookie(req.headers.cookie ?? '')[cookieName] : undefined;
  return cookie ? { token: cookie, source: 'cookie' } : undefined;
}

/** A credential from the header, the query or the named cookie, in that order. */
export function credential(req: IncomingMessage, cookieName: string): string | undefined {
  return readCredential(req, cookieName)?.token;
}

/** A session token: from the header or the query only (session routes take no cookie). */
export function sessionToken(req: IncomingMessage): string | undefined {
  return readCredential(req)?.token;
}

/** A Cookie header without one cookie, left as sent otherwise (the port proxy keeps its own cookie from the node). */
export function withoutCookie(header: string | undefined, name: string): string {
  return (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.split('=')[0].trim() !== name)
    .join('; ');
}

export const cookieOptions = (maxAgeMs: number) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', maxAge: maxAgeMs });
