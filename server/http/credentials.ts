import type { IncomingMessage } from 'node:http';
import { parse as parseCookie } from 'cookie';
import { sessionToken } from './session-token.js';

export const INSTRUCTOR_COOKIE = 'workshop_instructor';
export const LEARNER_COOKIE = 'workshop_learner';

/** A credential from the Authorization header, the `token` query parameter, or the named cookie, in that order. */
export function credential(req: IncomingMessage, cookieName: string): string | undefined {
  return sessionToken(req) ?? parseCookie(req.headers.cookie ?? '')[cookieName] ?? undefined;
}

export const cookieOptions = (maxAgeMs: number) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', maxAge: maxAgeMs });
