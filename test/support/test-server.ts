import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';

/** Starts a real server on a free port under its own label namespace, so test files never touch each other's nodes. */
export async function startTestServer(instance: string, overrides: ConfigInput = {}): Promise<RunningServer> {
  const config = loadConfig({
    env: process.env,
    overrides: { port: 0, host: '127.0.0.1', instance, logLevel: 'warn', dataDir: mkdtempSync(join(tmpdir(), `${instance}-`)), ...overrides },
  });
  return startServer(config);
}

export interface CreatedSession {
  id: string;
  token: string;
  nodes: Array<{ name: string; role?: string; address: string; status: string }>;
  expiresAt: string;
}

/** A response body: JSON as its value, anything else (a CSV or XML export) as its text. */
function parseBody(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A small REST client for the sessions API, as a script or grader would use it. */
export function apiClient(baseUrl: string) {
  async function call(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: parseBody(await res.text()) };
  }
  return {
    call,
    async createSession(body: unknown): Promise<CreatedSession> {
      const res = await call('POST', '/sessions', undefined, body);
      if (res.status !== 201) throw new Error(`create session: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async exec(session: CreatedSession, node: string, command: string, timeoutSeconds?: number) {
      const res = await call('POST', `/sessions/${session.id}/nodes/${node}/exec`, session.token, { command, ...(timeoutSeconds ? { timeoutSeconds } : {}) });
      if (res.status !== 200) throw new Error(`exec on ${node}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { exitCode: number; output: string; truncated: boolean; timedOut: boolean };
    },
    async deleteSession(session: CreatedSession) {
      return call('DELETE', `/sessions/${session.id}`, session.token);
    },
  };
}

/** Retries an async probe until it returns true or the time is up; swarm state converges asynchronously. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 30_000, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
