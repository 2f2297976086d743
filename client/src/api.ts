import type { CreatedSessionView, ErrorView, SessionStatusView, SessionView, TemplateName } from '../../shared/protocol.js';

export interface Credentials {
  id: string;
  token: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = '',
  ) {
    super(message);
  }
}

/** One JSON call; errors become ApiError with the server's message. */
export async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) throw new ApiError(res.status, (json as ErrorView | null)?.error?.message ?? `${method} ${path}: HTTP ${res.status}`, (json as ErrorView | null)?.error?.code);
  return json as T;
}

/** The REST calls the workspace makes (docs/api.md). */
export const api = {
  create: (template: TemplateName, swarm: boolean) => call<CreatedSessionView>('POST', '/api/sessions', undefined, { template, swarm }),
  get: (c: Credentials) => call<SessionView>('GET', `/api/sessions/${c.id}`, c.token),
  extend: (c: Credentials) => call<SessionView>('POST', `/api/sessions/${c.id}/extend`, c.token),
  end: (c: Credentials) => call<void>('DELETE', `/api/sessions/${c.id}`, c.token),
  status: (c: Credentials) => call<SessionStatusView>('GET', `/api/sessions/${c.id}/node-status`, c.token),
  exec: (c: Credentials, node: string, command: string) =>
    call<{ exitCode: number; output: string }>('POST', `/api/sessions/${c.id}/nodes/${node}/exec`, c.token, { command }),
  createFor: (template: TemplateName, swarm: boolean, lesson: string) => call<CreatedSessionView>('POST', '/api/sessions', undefined, { template, swarm, lesson }),
};

export function terminalUrl(c: Credentials, node: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams({ token: c.token });
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${c.id}/nodes/${node}/terminal?${params}`;
}

/** A link that opens a node's port in a new tab; the proxy swaps the token for a cookie and drops it from the URL. */
export function portUrl(c: Credentials, node: string, port: number): string {
  return `/api/sessions/${c.id}/nodes/${node}/ports/${port}/?token=${encodeURIComponent(c.token)}`;
}
