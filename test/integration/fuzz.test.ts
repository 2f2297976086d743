import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CreatedSessionView } from '../../shared/protocol.js';
import { loadConfig } from '../../server/config.js';
import { LABEL } from '../../server/engine/labels.js';
import { startServer, type RunningServer } from '../../server/server.js';

/**
 * Malformed, oversized and out-of-order input against a real server with a real session (Docker): REST bodies,
 * paths, headers, and websocket frames. Afterwards the server still answers, never said 500 (every error is JSON
 * with a message and a 4xx), and nothing but the session's own node runs. Seeded, so a failure can be replayed
 * with FUZZ_SEED; bounded in time (FUZZ_SECONDS for the REST part, default 60).
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const REST_SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);
const WS_SECONDS = 30;
const CONCURRENCY = 8;
const ACCESS_CODE = 'fuzz-access-code-0123';

/** mulberry32: small, fast, reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

type Random = ReturnType<typeof prng>;

const WEIRD_STRINGS = ['', ' ', '../../etc/passwd', '%00', '\u0000', '\u202e', '💥', '<script>alert(1)</script>', '=1+1', '-1', '1e309', 'null', 'true', '{"', '\r\nX-Injected: 1', 'node1', 'single', 'swarm-1m2w'];

function randomString(r: Random, max = 64): string {
  const kind = r.int(4);
  if (kind === 0) return r.pick(WEIRD_STRINGS);
  if (kind === 1) return String.fromCharCode(...Array.from({ length: r.int(max) }, () => r.int(0xd7ff)));
  if (kind === 2) return 'x'.repeat(r.int(max * 100));
  return Math.random().toString(36).slice(2, 2 + r.int(12));
}

function randomJson(r: Random, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 31, 65536]);
    case 3:
    case 4: return randomString(r);
    case 5: return Array.from({ length: r.int(6) }, () => randomJson(r, depth + 1));
    default: {
      const keys = ['template', 'nodes', 'swarm', 'lesson', 'name', 'role', 'command', 'timeoutSeconds', 'code', 'step', 'block', 'node', 'session', 'cols', 'rows', '__proto__', 'constructor', randomString(r, 8)];
      return Object.fromEntries(Array.from({ length: r.int(6) }, () => [r.pick(keys), randomJson(r, depth + 1)]));
    }
  }
}

/** A body as bytes: random JSON, broken JSON, binary garbage, a huge string, or nothing. */
function randomBody(r: Random): { body?: string | Buffer; type?: string } {
  switch (r.int(7)) {
    case 0: return {};
    case 1: return { body: JSON.stringify(randomJson(r)).slice(0, r.int(200)), type: 'application/json' };
    case 2: return { body: Buffer.from(Array.from({ length: r.int(4096) }, () => r.int(256))), type: r.pick(['application/json', 'application/octet-stream', 'text/plain']) };
    case 3: return { body: JSON.stringify({ command: 'x'.repeat(300_000 + r.int(100_000)) }), type: 'application/json' };
    default: return { body: JSON.stringify(randomJson(r)), type: r.pick(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded']) };
  }
}

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  problems: string[];
}

describe('fuzz: REST and websocket input (Docker)', () => {
  let server: RunningServer;
  let session: CreatedSessionView;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-fuzz-'));
  const instance = 't-fuzz';

  beforeAll(async () => {
    server = await startServer(
      loadConfig({
        overrides: {
          port: 0,
          host: '127.0.0.1',
          instance,
          dataDir,
          logLevel: 'silent',
          instructorPassword: 'fuzz-instructor-password',
          // Sessions need the code: random bodies cannot start sessions; only the fuzzer's own one runs.
          access: { mode: 'code', code: ACCESS_CODE, sessionsPerClient: 1, createPerMinute: 1000 },
          limits: { maxNodesPerSession: 1 },
        },
      }),
    );
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-access-code': ACCESS_CODE }, body: JSON.stringify({ template: 'single' }) });
    expect(res.status).toBe(201);
    session = (await res.json()) as CreatedSessionView;
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function record(tally: Tally, what: string, res: Response): Promise<void> {
    tally.requests += 1;
    tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
    const text = await res.text();
    if (res.status >= 500) tally.problems.push(`${what} → ${res.status} ${text.slice(0, 200)}`);
    if (res.status >= 400) {
      let message: unknown;
      try {
        message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
      } catch {
        message = undefined;
      }
      if (typeof message !== 'string' || !message) tally.problems.push(`${what} → ${res.status} without a JSON error message: ${text.slice(0, 120)}`);
    }
  }

  it('answers thousands of malformed REST requests with 4xx JSON, never 500', async () => {
    const r = prng(SEED);
    const tally: Tally = { requests: 0, byStatus: new Map(), problems: [] };
    const id = () => r.pick([session.id, session.id, 'zzzzzzzz', randomString(r, 40), '..', '%2e%2e', 'A'.repeat(300)]);
    const node = () => r.pick(['node1', 'node1', 'node2', randomString(r, 20), '..', '-x']);
    const safeToken = () => r.pick([session.token, `${session.token}x`, '', randomString(r, 80)]);
    // Routes with a side effect take only a wrong token, so the one real session lives on with its one node.
    const routes: Array<() => { method: string; path: string; token?: string }> = [
      () => ({ method: 'POST', path: '/api/sessions' }),
      () => ({ method: 'GET', path: `/api/sessions/${id()}`, token: safeToken() }),
      () => ({ method: 'POST', path: `/api/sessions/${id()}/extend`, token: safeToken() }),
      () => ({ method: 'DELETE', path: `/api/sessions/${id()}`, token: randomString(r, 40) }),
      () => ({ method: 'POST', path: `/api/sessions/${id()}/nodes`, token: randomString(r, 40) }),
      () => ({ method: 'DELETE', path: `/api/sessions/${id()}/nodes/${node()}`, token: randomString(r, 40) }),
      () => ({ method: 'POST', path: `/api/sessions/${id()}/nodes/${node()}/exec`, token: randomString(r, 40) }),
      () => ({ method: 'GET', path: `/api/sessions/${id()}/node-status`, token: safeToken() }),
      () => ({ method: 'POST', path: `/api/sessions/${id()}/checks`, token: safeToken() }),
      () => ({ method: 'GET', path: `/api/sessions/${id()}/progress?lesson=${encodeURIComponent(randomString(r))}`, token: safeToken() }),
      () => ({ method: 'GET', path: `/api/lessons/${encodeURIComponent(randomString(r))}` }),
      () => ({ method: 'POST', path: `/api/lessons/${r.pick(['services', 'swarm-init', randomString(r)])}/run`, token: safeToken() }),
      () => ({ method: 'POST', path: '/api/join' }),
      () => ({ method: 'GET', path: '/api/learners/me', token: safeToken() }),
      () => ({ method: 'PUT', path: '/api/learners/me/position', token: safeToken() }),
      () => ({ method: r.pick(['GET', 'POST']), path: `/api/instructor/${r.pick(['me', 'login', 'events', 'events/x/end', 'learners/x/reset', randomString(r, 20)])}` }),
      () => ({ method: r.pick(['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS']), path: `/api/sessions/${id()}/nodes/${node()}/ports/${r.pick(['80', '0', '65536', '99999', randomString(r, 6)])}/${randomString(r, 10)}?token=${encodeURIComponent(safeToken())}` }),
      () => ({ method: r.pick(['GET', 'POST']), path: `/${randomString(r, 30)}` }),
    ];
    const deadline = Date.now() + REST_SECONDS * 1000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const { method, path, token } = r.pick(routes)();
        const { body, type } = method === 'GET' || method === 'DELETE' || method === 'OPTIONS' ? {} : randomBody(r);
        let url: string;
        try {
          url = new URL(path, server.url).toString();
        } catch {
          continue;
        }
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (token) headers.authorization = `Bearer ${token.replace(/[^\x20-\x7e]/g, '')}`;
        if (r.next() < 0.1) headers['x-access-code'] = randomString(r, 20).replace(/[^\x20-\x7e]/g, '') || 'x';
        if (r.next() < 0.1) headers.cookie = `workshop_instructor=${r.int(1e9)}; workshop_learner=${r.int(1e9)}`;
        try {
          const res = await fetch(url, { method, headers, body: Buffer.isBuffer(body) ? new Uint8Array(body) : body, redirect: 'manual' });
          await record(tally, `${method} ${path.slice(0, 80)}`, res);
        } catch (error) {
          tally.problems.push(`${method} ${path.slice(0, 80)}: the request failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`fuzz REST: ${tally.requests} requests in ${REST_SECONDS}s; statuses ${statuses}; problems ${tally.problems.length}`);
    expect(tally.problems.slice(0, 10)).toEqual([]);
    expect(tally.requests).toBeGreaterThan(1000);
  }, (REST_SECONDS + 60) * 1000);

  it('survives malformed websocket upgrades and frames, before and after attach', async () => {
    const r = prng(SEED + 1);
    const counts = { sockets: 0, frames: 0, refused: 0, closedByServer: 0, errorsAnswered: 0 };
    const base = `${server.url.replace(/^http/, 'ws')}/api/sessions`;
    const deadline = Date.now() + WS_SECONDS * 1000;
    const frame = (): { data: string | Buffer; binary: boolean } => {
      switch (r.int(7)) {
        case 0: return { data: JSON.stringify({ type: 'resize', cols: r.pick([0, -1, 1e9, 500, 501, 1.5, 'x', null]), rows: r.pick([0, 1e9, 24, -5, {}]) }), binary: false };
        case 1: return { data: JSON.stringify(randomJson(r)), binary: false };
        case 2: return { data: 'x'.repeat(1024 + r.int(4096)), binary: false };
        case 3: return { data: Buffer.from(Array.from({ length: r.int(2048) }, () => r.int(256))), binary: r.next() < 0.5 };
        case 4: return { data: JSON.stringify({ type: r.pick(['ping', 'flow', 'resize', 'attach', '__proto__']), id: randomJson(r), paused: randomJson(r) }), binary: false };
        case 5: return { data: Buffer.alloc(r.pick([0, 1, 70_000])), binary: true };
        default: return { data: randomString(r, 200), binary: false };
      }
    };
    const one = () =>
      new Promise<void>((resolve) => {
        const good = r.next() < 0.7;
        const query = good
          ? `token=${session.token}&cols=${r.pick(['80', '0', '100000', 'x', '-3'])}&rows=24&since=${r.pick(['0', '-1', 'abc', '99999999999'])}`
          : `token=${encodeURIComponent(r.pick([session.token + 'x', randomString(r, 30)]))}`;
        const path = good ? `${base}/${session.id}/nodes/${r.pick(['node1', 'node1', 'node9', 'NODE'])}/terminal?${query}` : `${base}/${r.pick([session.id, 'zzzz'])}/nodes/node1/terminal?${query}`;
        const ws = new WebSocket(path, { headers: r.next() < 0.1 ? { origin: 'https://evil.example' } : {} });
        counts.sockets += 1;
        const finish = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 3000);
        ws.on('unexpected-response', (_req, res) => {
          counts.refused += 1;
          if ((res.statusCode ?? 0) >= 500) counts.closedByServer = -1_000_000;
          finish();
        });
        ws.on('error', () => undefined);
        ws.on('message', (data, isBinary) => {
          if (!isBinary && String(data).includes('"type":"error"')) counts.errorsAnswered += 1;
        });
        ws.on('close', () => {
          counts.closedByServer += 1;
          finish();
        });
        ws.on('open', () => {
          // Frames before the attach reply (out of order), then a burst after it, then go.
          const burst = r.int(400);
          for (let i = 0; i < burst && ws.readyState === ws.OPEN; i++) {
            const { data, binary } = frame();
            ws.send(data, { binary });
            counts.frames += 1;
          }
          setTimeout(() => ws.close(), r.int(300));
        });
      });
    while (Date.now() < deadline) await Promise.all(Array.from({ length: 4 }, one));
    console.log(`fuzz websockets: ${counts.sockets} sockets, ${counts.frames} frames, ${counts.refused} upgrades refused, ${counts.errorsAnswered} error replies`);
    expect(counts.closedByServer).toBeGreaterThanOrEqual(0);
    expect(counts.frames).toBeGreaterThan(1000);
  }, (WS_SECONDS + 60) * 1000);

  it('is alive afterwards, with its session and nothing else running', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const view = await fetch(`${server.url}/api/sessions/${session.id}`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(view.status).toBe(200);
    const containers = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=${LABEL.instance}=${instance}`]).toString().trim().split('\n').filter(Boolean);
    const ours = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=${LABEL.session}=${session.id}`]).toString().trim().split('\n').filter(Boolean);
    console.log(`fuzz afterwards: health ok, ${containers.length} container(s) of this server, ${ours.length} of the session`);
    expect(containers.sort()).toEqual(ours.sort());
    expect(ours).toHaveLength(1);
    // The node still runs commands, and its terminal still attaches and streams. (The shell itself may still be
    // chewing on the garbage the fuzz typed into it, so its echo is not a measure of the server.)
    const exec = await fetch(`${server.url}/api/sessions/${session.id}/nodes/node1/exec`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'echo fuzz-$((6*7))' }),
    });
    expect(await exec.json()).toMatchObject({ exitCode: 0, output: expect.stringContaining('fuzz-42') });
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/sessions/${session.id}/nodes/node1/terminal?token=${session.token}`);
    const attached = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('no answer in 20 s'), 20_000);
      ws.on('unexpected-response', (_req, res) => resolve(`refused with ${res.statusCode}`));
      ws.on('error', () => undefined);
      ws.on('message', (data, isBinary) => {
        if (!isBinary && String(data).includes('"type":"attached"')) {
          clearTimeout(timer);
          resolve('attached');
        }
      });
    });
    ws.close();
    expect(attached).toBe('attached');
  });
});
