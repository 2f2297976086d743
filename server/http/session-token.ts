import type { IncomingMessage } from 'node:http';

/** The session token from `Authorization: Bearer …` or, for websockets and links, a `token` query parameter. */
export function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  return query || undefined;
}
