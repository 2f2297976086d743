import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CreatedSessionView } from '../../shared/protocol.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { TerminalClient } from '../support/terminal-client.js';

const ECHO_BOUND_MS = 500;

// Terminals on real Docker-in-Docker nodes, through the websocket, as the browser uses them.
describe('node terminals (Docker)', () => {
  let server: RunningServer;
  let session: CreatedSessionView;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-term-test-'));
  const open = (node: string, query: Record<string, string | number | undefined> = {}) => TerminalClient.open(server.url, session.id, node, { token: session.token, ...query });

  beforeAll(async () => {
    server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 't-term', dataDir, logLevel: 'warn' } }));
    const res = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: [{ name: 'node1', role: 'manager' }, { name: 'node2' }] }),
    });
    expect(res.status).toBe(201);
    session = (await res.json()) as CreatedSessionView;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs docker commands typed into a node terminal', async () => {
    const term = await open('node1');
    term.type('docker swarm init --advertise-addr eth0 >/dev/null && docker node ls\r');
    await term.waitFor(/ID\s+HOSTNAME\s+STATUS[\s\S]*node1\s+Ready\s+Active\s+Leader/, 60_000);
    await term.close();
  });

  it('follows resize control messages', async () => {
    const term = await open('node2', { cols: 90, rows: 25 });
    term.type('stty size\r');
    await term.waitFor('25 90');
    term.control({ type: 'resize', cols: 120, rows: 40 });
    const from = term.output.length;
    term.type('stty size\r');
    await term.waitFor('40 120', 10_000, from);
    await term.close();
  });

  it('replays only what a reconnecting client missed, once', async () => {
    const first = await open('node2');
    first.type('echo first-$((1+1))\r');
    await first.waitFor(/first-2\r\n[\s\S]*# $/);
    const { last, epoch } = first;
    await first.close();
    const other = await open('node2', { since: last, epoch });
    other.type('echo second-$((2+2))\r');
    await other.waitFor(/second-4\r\n[\s\S]*# $/);
    await other.close();
    const again = await open('node2', { since: last, epoch });
    expect(again.output).not.toContain('first-2');
    expect(again.output.split('second-4').length - 1).toBe(1);
    expect(again.messages[0]).toMatchObject({ type: 'attached', reset: false });
    await again.close();
  });

  it(`keeps another terminal's echo under ${ECHO_BOUND_MS} ms while one floods output`, async () => {
    const flood = await open('node1');
    const quiet = await open('node2');
    quiet.type('cat >/dev/null\r');
    await new Promise((r) => setTimeout(r, 300));
    flood.type('yes | head -c 50000000 && echo flood-$((6*7))\r');
    await flood.waitFor(() => flood.received > 500_000, 20_000);
    const delays: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = quiet.received;
      const started = performance.now();
      quiet.type('x');
      await quiet.waitFor(() => quiet.received > before, 5000);
      delays.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    const floodStillRunning = !flood.output.includes('flood-42');
    flood.type('\x03');
    quiet.type('\x03');
    await flood.waitFor(() => /\^C\r\n[^y]*# $/.test(flood.output.slice(-200)), 60_000);
    await Promise.all([flood.close(), quiet.close()]);
    delays.sort((a, b) => a - b);
    console.log(`echo during a flood: median ${delays[15].toFixed(1)} ms, max ${delays.at(-1)!.toFixed(1)} ms; flood bytes seen ${flood.received}`);
    expect(floodStillRunning).toBe(true);
    expect(delays.at(-1)).toBeLessThan(ECHO_BOUND_MS);
  });

  it('loses nothing of a flood held again and again for keystrokes typed elsewhere', async () => {
    // Below the client's 2 MB of kept output with the replay; wide enough that the command line never wraps.
    const bytes = 1_200_000;
    const flood = await open('node1', { cols: 200 });
    const typist = await open('node2');
    typist.type('cat >/dev/null\r');
    await typist.waitFor('cat >/dev/null\r\n');
    let typing = true;
    let keys = 0;
    const typed = (async () => {
      while (typing) {
        const before = typist.received;
        typist.type('k');
        keys += 1;
        await typist.waitFor(() => typist.received > before, 5000);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await typist.waitFor(() => keys > 5);
    const command = `head -c ${bytes} /dev/zero | tr '\\0' y; echo; echo end-$((5*5))\r`;
    flood.type(command);
    await flood.waitFor('\r\nend-25', 60_000);
    typing = false;
    await typed;
    typist.type('\x03');
    const text = flood.output;
    const from = text.indexOf('end-$((5*5))\r\n') + 'end-$((5*5))\r\n'.length;
    // Bash turns bracketed paste off after reading the line (ESC [?2004l): the one thing before the flood.
    const flooded = text.slice(from, text.indexOf('\r\nend-25')).replace(/\x1b\[\?2004l\r?/, '');
    expect(flooded.length).toBe(bytes);
    expect(/^y*$/.test(flooded)).toBe(true);
    expect(keys).toBeGreaterThan(5);
    await Promise.all([flood.close(), typist.close()]);
  });

  it('answers invalid control frames with an error frame and stays usable', async () => {
    const term = await open('node1');
    for (const bad of ['{', '{"type":"resize","cols":0,"rows":10}', '{"type":"resize","cols":80,"rows":24000}', '{"type":"launch"}', '"resize"']) term.control(bad);
    await term.waitFor(() => term.messages.filter((m) => m.type === 'error').length === 5);
    term.type('echo ok-$((3*3))\r');
    await term.waitFor('ok-9');
    await term.close();
  });

  it('refuses a wrong token before any byte flows', async () => {
    const url = `${server.url.replace(/^http/, 'ws')}/api/sessions/${session.id}/nodes/node1/terminal?token=wrong`;
    const result = await new Promise<{ status?: number; bytes: number }>((resolve) => {
      const ws = new WebSocket(url);
      let bytes = 0;
      ws.on('message', (data: Buffer) => (bytes += data.length));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, bytes }));
      ws.on('open', () => resolve({ bytes }));
    });
    expect(result).toEqual({ status: 403, bytes: 0 });
    await expect(open('node1', { token: undefined })).rejects.toMatchObject({ status: 401 });
  });
});
