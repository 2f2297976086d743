/**
 * Terminal latency and throughput on the Docker backend, through the real websocket path: keystroke-to-echo
 * latency (median, p99 over KEYS keys) for one terminal alone, with 30 other open idle terminals, and with those
 * plus one terminal flooding; output throughput of one terminal in MB/s. The baseline is the same keystroke
 * echo through a direct `docker exec -it` stream (the engine's hijacked TTY exec, no server in between).
 *
 *   npx tsx bench/terminal-latency.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { CreatedSessionView } from '../shared/protocol.js';
import { loadConfig } from '../server/config.js';
import { DockerEngine } from '../server/engine/docker-engine.js';
import { startServer } from '../server/server.js';
import { DEFAULT_TERMINAL_OPTIONS, Terminal } from '../server/terminals/terminal.js';
import { TerminalClient } from '../test/support/terminal-client.js';
import { percentile, report, type Figure } from './lib.js';

const KEYS = 250;
const IDLE_TERMINALS = 30;
const FLOOD_BYTES = 40 * 1024 * 1024;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Types one key at a time into `cat >/dev/null` (the TTY echoes it) and times each echo. */
async function echoLatency(send: (text: string) => void, received: () => number, waitFor: (probe: () => boolean) => Promise<void>, keys: number): Promise<number[]> {
  send('cat >/dev/null\r');
  await pause(300);
  const delays: number[] = [];
  for (let i = 0; i < keys; i++) {
    const before = received();
    const started = performance.now();
    send('k');
    await waitFor(() => received() > before);
    delays.push(performance.now() - started);
    await pause(2); // a fast typist, not a paste
  }
  send('\x03');
  await pause(200);
  return delays;
}

const terminalEcho = (term: TerminalClient) =>
  echoLatency((text) => term.type(text), () => term.received, (probe) => term.waitFor(probe, 5000), KEYS);

/** The baseline: a TTY exec straight from the engine, read and written by this process. */
async function directEcho(engine: DockerEngine, containerId: string): Promise<number[]> {
  const tty = await engine.execTty(containerId, ['bash', '-l'], ['TERM=xterm-256color'], { cols: 80, rows: 24 });
  const stream: Duplex = tty.stream;
  let received = 0;
  const wakers = new Set<() => void>();
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    for (const wake of wakers) wake();
  });
  const waitFor = (probe: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      if (probe()) return resolve();
      const timer = setTimeout(() => reject(new Error('no echo in 5 s')), 5000);
      const wake = () => {
        if (!probe()) return;
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      wakers.add(wake);
    });
  await pause(500);
  const delays = await echoLatency((text) => stream.write(text), () => received, waitFor, KEYS);
  stream.end('exit\r');
  stream.destroy();
  return delays;
}

const summary = (delays: number[]) => `median ${percentile(delays, 50).toFixed(2)} ms, p99 ${percentile(delays, 99).toFixed(2)} ms (n=${delays.length})`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-bench-term-'));
  const engine = new DockerEngine();
  const server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 'b-term', dataDir, logLevel: 'warn' } }), { engine });
  const figures: Figure[] = [];
  try {
    const res = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: [{ name: 'node1' }, { name: 'node2' }] }),
    });
    if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
    const session = (await res.json()) as CreatedSessionView;
    const open = (node: string) => TerminalClient.open(server.url, session.id, node, { token: session.token });
    const node1Container = (await engine.listContainers('b-term')).find((c) => c.labels['io.swarm-workshop.session'] === session.id && c.labels['io.swarm-workshop.node'] === 'node1')!;

    const direct = await directEcho(engine, node1Container.id);
    console.log(`echo, direct docker exec -it (baseline): ${summary(direct)}`);

    const main = await open('node1');
    await main.waitFor('# ');
    const alone = await terminalEcho(main);
    console.log(`echo, one terminal alone:               ${summary(alone)}`);
    figures.push(
      { name: 'echo median, one terminal', value: percentile(alone, 50), unit: 'ms', target: { atMost: 2.5 }, baseline: { name: 'docker exec -it', value: percentile(direct, 50) } },
      { name: 'echo p99, one terminal', value: percentile(alone, 99), unit: 'ms', target: { atMost: 5 }, baseline: { name: 'docker exec -it', value: percentile(direct, 99) } },
    );

    // 30 more open terminals: real shells (TTY execs) held by the server's terminal hub on node2, and a websocket
    // watching a node for each.
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
    const crowded = await terminalEcho(main);
    console.log(`echo, with ${IDLE_TERMINALS} other open terminals:  ${summary(crowded)}`);
    figures.push({ name: `echo p99, ${IDLE_TERMINALS} other open terminals`, value: percentile(crowded, 99), unit: 'ms', target: { atMost: 15 } });

    // The same, while one more terminal floods its output as fast as the server lets it.
    const flood = await open('node2');
    await flood.waitFor('# ');
    // Each flood ends with its own marker: node2's shell is shared, so an earlier flood's marker is in its replay.
    const floodCommand = (n: number) => `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' 'y'; echo; echo done-$((${n}*7))\r`;
    const floodStart = performance.now();
    const floodBefore = flood.received;
    flood.type(floodCommand(6));
    await flood.waitFor(() => flood.received - floodBefore > 1e6, 30_000);
    const flooded = await terminalEcho(main);
    console.log(`echo, ${IDLE_TERMINALS} open terminals and one flooding: ${summary(flooded)}`);
    figures.push({ name: `echo p99, ${IDLE_TERMINALS} open terminals + one flooding`, value: percentile(flooded, 99), unit: 'ms', target: { atMost: 15 } });
    await flood.waitFor('done-42', 300_000);
    const seconds = (performance.now() - floodStart) / 1000;
    const mb = (flood.received - floodBefore) / 1e6;
    const cap = DEFAULT_TERMINAL_OPTIONS.maxBytesPerSecond / 1e6;
    console.log(`throughput, one terminal (websocket, ${cap.toFixed(1)} MB/s cap): ${(mb / seconds).toFixed(1)} MB/s (${mb.toFixed(0)} MB in ${seconds.toFixed(1)} s, while the echo ran)`);
    await Promise.all(watchers.map((t) => t.close()));
    for (const shell of idleShells) shell.close(1000, 'done');

    const alone2 = await open('node2');
    await alone2.waitFor('# ');
    const before = alone2.received;
    const started = performance.now();
    alone2.type(floodCommand(7));
    await alone2.waitFor('done-49', 300_000);
    const soloRate = (alone2.received - before) / 1e6 / ((performance.now() - started) / 1000);
    console.log(`throughput, one terminal alone (websocket): ${soloRate.toFixed(1)} MB/s`);
    figures.push({ name: 'flood throughput, one terminal through the websocket', value: soloRate, unit: 'MB/s', target: { atLeast: 20 } });
    await Promise.all([main.close(), flood.close(), alone2.close()]);

    // The same flood with the cap off, into a sink that only counts: what exec stream + batching sustain.
    const raw = new Terminal((size) => server.sessions.openTerminal(own, 'node2', size), { ...DEFAULT_TERMINAL_OPTIONS, maxBytesPerSecond: 0 });
    let bytes = 0;
    let text = '';
    const attached = await raw.attach(
      { bufferedAmount: 0, sendBinary: (d) => { bytes += d.length; text = (text + d.toString('latin1')).slice(-64); }, sendText: () => undefined, close: () => undefined },
      { since: 0, readonly: false },
    );
    await pause(500);
    const rawStart = performance.now();
    const rawBefore = bytes;
    attached.input(Buffer.from(floodCommand(8)));
    while (!text.includes('done-56')) await pause(20);
    const rawRate = (bytes - rawBefore) / 1e6 / ((performance.now() - rawStart) / 1000);
    console.log(`throughput, one terminal (server side, no cap): ${rawRate.toFixed(1)} MB/s`);
    raw.close(1000, 'done');
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report('terminal-latency', figures);
}

await main();
