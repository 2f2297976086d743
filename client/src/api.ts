import type * as z from 'zod/mini';
import type { TemplateName } from '../../shared/protocol.js';
import { CreatedSessionViewSchema, ErrorViewSchema, SessionStatusViewSchema, SessionViewSchema } from '../../shared/view-schemas.js';
import { t } from './i18n/i18n.js';
import { accessCodeStore, type Credentials } from './storage.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = '',
  ) {
    super(message);
  }

  /** The session (or the learner's access to it) is gone: the page stops using it. */
  get sessionGone(): boolean {
    return this.status === 404 || this.status === 403;
  }
}

interface CallOptions {
  token?: string;
  body?: unknown;
  accessCode?: string;
}

async function send(method: string, path: string, { token, body, accessCode }: CallOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (accessCode) headers['x-access-code'] = accessCode;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    const error = ErrorViewSchema.safeParse(await res.json().catch(() => null));
    throw error.success ? new ApiError(res.status, error.data.error.message, error.data.error.code) : new ApiError(res.status, t('errors.http', { method, path, status: res.status }));
  }
  return res;
}

/** One JSON call, its answer validated with the schema from shared/; errors become ApiError with the server's message. */
export async function call<T>(schema: z.ZodMiniType<T>, method: string, path: string, options: CallOptions = {}): Promise<T> {
  const res = await send(method, path, options);
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(res.status, t('errors.badAnswer', { method, path }), 'bad_answer');
  return parsed.data;
}

/** A call whose answer has no body (204) or one the page does not read. */
export async function callVoid(method: string, path: string, options: CallOptions = {}): Promise<void> {
  await send(method, path, options);
}

/**
 * Starts a session. A server in `code` mode asks for its access code (401, or 403 when the code given is wrong):
 * the learner is asked for it once, it is kept for the next start, and the start is tried again.
 */
async function createSession(template: TemplateName, swarm: boolean, lesson?: string) {
  const body = { template, swarm, ...(lesson ? { lesson } : {}) };
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(CreatedSessionViewSchema, 'POST', '/api/sessions', { body, accessCode: accessCodeStore.load() ?? undefined });
    } catch (error) {
      const asksForCode = error instanceof ApiError && ((error.status === 401 && error.code === 'access_code_required') || error.code === 'access_code_wrong');
      if (!asksForCode || attempt >= 2) throw error;
      const code = window.prompt(t(error.code === 'access_code_wrong' ? 'access.wrong' : 'access.prompt'))?.trim();
      if (!code) throw error;
      accessCodeStore.save(code);
    }
  }
}

/** The session calls the workspace makes (docs/api.md). */
export const api = {
  create: createSession,
  get: (c: Credentials) => call(SessionViewSchema, 'GET', `/api/sessions/${c.id}`, { token: c.token }),
  extend: (c: Credentials) => call(SessionViewSchema, 'POST', `/api/sessions/${c.id}/extend`, { token: c.token }),
  end: (c: Credentials) => callVoid('DELETE', `/api/sessions/${c.id}`, { token: c.token }),
  status: (c: Credentials) => call(SessionStatusViewSchema, 'GET', `/api/sessions/${c.id}/node-status`, { token: c.token }),
};
