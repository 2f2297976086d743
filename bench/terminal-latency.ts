/**
 * Terminal latency and throughput on the Docker backend, through the real
 * websocket path: keystroke-to-echo latency (median, p99 over ≥200 keys) for
 * one terminal alone and with 30 other open idle terminals, and output
 * throughput of one terminal in MB/s.
 *
 *   npx tsx bench/terminal-latency.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreatedSessionView } from '../shared/protocol.js';
import { loadConfig } from '../server/config.js';
import { startServer } from '../server/server.js';
import { DEFAULT_TERMINAL_OPTIONS, Terminal } from '../server/terminals/terminal.js';
import { TerminalClient } from '../test/support/terminal-client.js';

const KEYS = 250;
const IDLE_TERMINALS = 30;
const FLOOD_BYTES = 40 * 1024 * 1024;

async function echoLatency(term: TerminalClient, keys: number): Promise<number[]> {
  term.type('cat >/dev/null\r');
  await new Promise((r) => setTimeout(r, 300));
  const delays: number[] = [];
  for (let i = 0; i < keys; i++) {
    const before = term.received;
    const started = performance.now();
    term.type('k');
    await term.waitFor(() => term.received > before, 5000);
    delays.push(performance.now() - started);
  }
  term.type('\x03');
  await new Promise((r) => setTimeout(r, 200));
  return delays.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const fmt = (sorted: number[]) => `median ${pct(sorted, 50).toFixed(2)} ms, p99 ${pct(sorted, 99).toFixed(2)} ms (n=${sorted.length})`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-bench-term-'));
  const server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 'b-term', dataDir, logLevel: 'warn' } }));
  try {
    const res = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: [{ name: 'node1' }, { name: 'node2' }] }),
    });
    if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
    const session = (await res.json()) as CreatedSessionView;
    const open = (node: string) => TerminalClient.open(server.url, session.id, node, { token: session.token });

    const main = await open('node1');
    await main.waitFor('# ');
    const alone = await echoLatency(main, KEYS);
    console.log(`echo, one terminal alone:        ${fmt(alone)}`);

    // 30 more idle terminals: each a real shell (a Docker exec with a TTY) held by the server's terminal hub,
    // plus a websocket watching each node. The hub keeps one shell per node, so the extra shells are registered
    // under bench keys on node2 with a sink that discards output.
    const own = server.sessions.authorize(session.id, session.token);
    const idleShells = await Promise.all(
      Array.from({ length: IDLE_TERMINALS }, async (_, i) => {
        const terminal = server.terminals.hub.terminal(session.id, `bench-idle-${i}`, (size) => server.sessions.openTerminal(own, 'node2', size));
        await terminal.attach({ bufferedAmount: 0, sendBinary: () => undefined, sendText: () => undefined, close: () => undefined }, { since: 0, readonly: false });
        return terminal;
      }),
    );
    const watchers = await Promise.all(Array.from({ length: IDLE_TERMINALS }, (_, i) => open(i % 2 ? 'node2' : 'node1')));
    console.log(`(${idleShells.filter((t) => t.running).length} idle shells and ${watchers.length} idle websockets open)`);
    const crowded = await echoLatency(main, KEYS);
    console.log(`echo, with ${IDLE_TERMINALS} other idle terminals: ${fmt(crowded)}`);
    await Promise.all(watchers.map((t) => t.close()));

    const flood = await open('node2');
    await flood.waitFor('# ');
    const before = flood.received;
    const started = performance.now();
    flood.type(`head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' 'y'; echo; echo done-$((6*7))\r`);
    await flood.waitFor('done-42', 300_000);
    const seconds = (performance.now() - started) / 1000;
    const mb = (flood.received - before) / 1e6;
    const cap = DEFAULT_TERMINAL_OPTIONS.maxBytesPerSecond / 1e6;
    console.log(`throughput, one terminal (websocket, default ${cap.toFixed(1)} MB/s cap): ${(mb / seconds).toFixed(1)} MB/s (${mb.toFixed(0)} MB in ${seconds.toFixed(1)} s)`);
    await Promise.all([main.close(), flood.close()]);

    // The same flood with the cap off, into a sink that only counts: what exec stream + batching sustain.
    const raw = new Terminal((size) => server.sessions.openTerminal(own, 'node2', size), { ...DEFAULT_TERMINAL_OPTIONS, maxBytesPerSecond: 0 });
    let bytes = 0;
    let text = '';
    const attached = await raw.attach(
      { bufferedAmount: 0, sendBinary: (d) => { bytes += d.length; text = (text + d.toString('latin1')).slice(-64); }, sendText: () => undefined, close: () => undefined },
      { since: 0, readonly: false },
    );
    await new Promise((r) => setTimeout(r, 500));
    const rawStart = performance.now();
    const rawBefore = bytes;
    attached.input(Buffer.from(`head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' 'y'; echo; echo done-$((6*7))\r`));
    while (!text.includes('done-42')) await new Promise((r) => setTimeout(r, 20));
    const rawSeconds = (performance.now() - rawStart) / 1000;
    console.log(`throughput, one terminal (server side, no cap):       ${((bytes - rawBefore) / 1e6 / rawSeconds).toFixed(1)} MB/s`);
    raw.close(1000, 'done');
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
