import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';

export const INSTRUCTOR_COOKIE = 'workshop_instructor';
export const LEARNER_COOKIE = 'workshop_learner';
/** Set by earlier versions' port proxy on the workshop's origin; still stripped before anything reaches an app. */
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

/** A Cookie header without the named cookies, the others left as sent. */
export function withoutCookies(header: string | undefined, names: readonly string[]): string {
  return (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !names.includes(part.split('=')[0].trim()))
    .join('; ');
}

/** Every value of one cookie name in a Cookie header (a browser sends one per matching path). */
export function cookieValues(header: string | undefined, name: string): string[] {
  return (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.split('=')[0].trim() === name)
    .map((part) => part.slice(part.indexOf('=') + 1).trim());
}

export const cookieOptions = (maxAgeMs: number) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', maxAge: maxAgeMs });
