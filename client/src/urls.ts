import type { Credentials } from './storage.js';

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The one websocket-URL builder: same host as the page, wss under https. */
export function websocketUrl(path: string, query: Query = {}): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${withQuery(path, query)}`;
}

export function terminalUrl(c: Credentials, node: string, query: Query): string {
  return websocketUrl(`/api/sessions/${c.id}/nodes/${node}/terminal`, { token: c.token, ...query });
}

/** The instructor's read-only view of a learner's terminal (the login cookie authenticates it). */
export function watchUrl(learner: string, node: string, query: Query): string {
  return websocketUrl(`/api/instructor/learners/${learner}/nodes/${node}/terminal`, query);
}

/** A link that opens a node's port in a new tab; the proxy swaps the token for a cookie and drops it from the URL. */
export function portUrl(c: Credentials, node: string, port: number): string {
  return withQuery(`/api/sessions/${c.id}/nodes/${node}/ports/${port}/`, { token: c.token });
}

export function sessionStreamUrl(c: Credentials): string {
  return withQuery(`/api/sessions/${c.id}/stream`, { token: c.token });
}

export function resultsUrl(event: string, lesson: string, format: 'csv' | 'junit' | 'json'): string {
  return withQuery(`/api/instructor/events/${event}/results`, { lesson, format });
}
