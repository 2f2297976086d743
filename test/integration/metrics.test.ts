import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/** The value of one series in a scrape (0 when absent: a counter that never moved has no series yet). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** Opens a websocket and resolves with the HTTP status it was refused with. */
function refusedWith(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the websocket was accepted')));
    ws.on('error', () => undefined);
  });
}

describe('/metrics on a real engine', () => {
  let server: RunningServer;
  let api: ReturnType<typeof apiClient>;
  let session: CreatedSession | undefined;

  beforeAll(async () => {
    server = await startTestServer('t-metrics', { classroom: { checkIntervalSeconds: 0 } });
    api = apiClient(server.url);
  });

  afterAll(async () => {
    if (session) await api.deleteSession(session);
    await server?.close();
  });

  it('counts a session start, its nodes, a check run and errors as they happen', async () => {
    const before = await scrape(server);
    expect(sample(before, 'workshop_sessions{engine="local",state="active"}')).toBe(0);

    session = await api.createSession({ template: 'single' });
    const checks = await api.call('POST', `/sessions/${session.id}/checks`, session.token, { lesson: 'swarm-init', step: 1 });
    expect(checks.status).toBe(200);
    expect(checks.body.passed).toBe(false);
    expect((await api.call('GET', '/sessions/no-such-session', session.token)).status).toBe(404);
    const terminal = `${server.url.replace('http', 'ws')}/api/sessions/${session.id}/nodes/node1/terminal?token=wrong`;
    expect(await refusedWith(terminal)).toBe(403);

    const after = await scrape(server);
    expect(sample(after, 'workshop_sessions{engine="local",state="active"}')).toBe(1);
    expect(sample(after, 'workshop_nodes{engine="local",state="active"}')).toBe(1);
    const starts = 'workshop_session_start_seconds_count{engine="local",outcome="ready",source="cold"}';
    expect(sample(after, starts) - sample(before, starts)).toBe(1);
    expect(sample(after, 'workshop_session_start_seconds_sum{engine="local",outcome="ready",source="cold"}')).toBeGreaterThan(0.1);
    const checkRuns = 'workshop_check_run_seconds_count{outcome="failed"}';
    expect(sample(after, checkRuns) - sample(before, checkRuns)).toBe(1);
    await eventually(async () => sample(await scrape(server), 'workshop_http_errors_total{route="sessions",status="404"}') === 1, 5000, 50);
    expect(sample(after, 'workshop_websocket_errors_total{route="terminal",reason="403"}')).toBe(1);
    expect(after).toContain('process_resident_memory_bytes');

    await api.deleteSession(session);
    session = undefined;
    const ended = await scrape(server);
    expect(sample(ended, 'workshop_sessions{engine="local",state="active"}')).toBe(0);
    expect(sample(ended, 'workshop_nodes{engine="local",state="active"}')).toBe(0);
  });

  it('/api/health reports the engine, the node image and the store as working', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; parts: Record<string, { ok: boolean; detail: string }> };
    expect(body.ok).toBe(true);
    expect(Object.keys(body.parts)).toEqual(['engine', 'nodeImage', 'store']);
    expect(body.parts.nodeImage.detail).toMatch(/present and matches its recipe/);
  });
});

describe('/api/health when sessions cannot start', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer('t-health', { images: { node: 'swarm-workshop/no-such-node-image' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 naming the node image', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; failing: string[]; parts: Record<string, { ok: boolean }>; error: { message: string } };
    expect(body.ok).toBe(false);
    expect(body.failing).toEqual(['nodeImage']);
    expect(body.parts.engine.ok).toBe(true);
    expect(body.parts.store.ok).toBe(true);
    expect(body.error.message).toBe('the server cannot start sessions: nodeImage: node image swarm-workshop/no-such-node-image:latest is missing (npm start builds it)');
    // A response is counted once it has been sent, which may be just after the client read it.
    await eventually(async () => sample(await scrape(server), 'workshop_http_errors_total{route="health",status="503"}') === 1, 5000, 50);
  });

  it('counts the engine call that fails when a session starts without the image', async () => {
    const res = await apiClient(server.url).call('POST', '/sessions', undefined, { template: 'single' });
    expect(res.status).toBe(503);
    const scraped = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(scraped, 'workshop_engine_call_failures_total{engine="local",operation="createNode"}')).toBe(1);
    expect(sample(scraped, 'workshop_session_start_seconds_count{engine="local",outcome="failed",source="cold"}')).toBe(1);
  });
});
