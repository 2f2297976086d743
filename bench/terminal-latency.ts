/**
 * Terminal latency and throughput on the Docker backend, through the real websocket path: keystroke-to-echo
 * latency (median, p99 over KEYS keys) for one terminal alone, with 30 other open idle terminals, and with those
 * plus one terminal flooding; output throughput of one terminal in MB/s. The baseline is the same keystroke
 * echo through a direct `docker exec -it` stream (the engine's hijacked TTY exec, no server in between).
 *
 * The websocket clients run in processes of their own (this file with `--client`), as a learner's browser does:
 * clients inside the server's process once charged their own parsing of the flood to the server's event loop
 * (docs/benchmarks.md, 2026-12-03 second section). Each figure also says how long the server's event loop was held up.
 *
 *   npx tsx bench/terminal-latency.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
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
/** The flood the echo is measured under: long enough to outlast the echo phase, even held for keystrokes. */
const LONG_FLOOD_BYTES = 160 * 1024 * 1024;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Each flood ends with its own marker: a node's shell is shared, so an earlier flood's marker is in its replay.
const floodCommand = (n: number, bytes = FLOOD_BYTES) => `head -c ${bytes} /dev/zero | tr '\\0' 'y'; echo; echo done-$((${n}*7))\r`;
const floodMarker = (n: number) => `done-${n * 7}`;

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

// ---- the clients' side: one process per role, driven over IPC ----

interface Target {
  url: string;
  session: string;
  token: string;
  node: string;
}
type Request = { cmd: 'echo' } | { cmd: 'flood'; n: number; bytes?: number } | { cmd: 'close' };

/**
 * A lean flood reader, as cheap per byte as a client can be (counts bytes, keeps a short tail for the marker), so
 * that the client's own work takes as little of the machine's two cores as possible from the server.
 */
async function floodClient(target: Target, n: number, bytes: number, started: () => void): Promise<{ bytes: number; seconds: number }> {
  const ws = new WebSocket(`${target.url.replace(/^http/, 'ws')}/api/sessions/${target.session}/nodes/${target.node}/terminal?token=${target.token}`, { perMessageDeflate: false });
  let frames = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (_data, isBinary) => {
      if (isBinary && ++frames === 1) resolve(); // the replay follows `attached`
    });
    ws.once('error', reject);
  });
  ws.removeAllListeners('message');
  const marker = floodMarker(n);
  return new Promise((resolve) => {
    let received = 0;
    let tail = '';
    let told = false;
    const begin = performance.now();
    ws.on('message', (data: Buffer) => {
      received += data.length;
      tail = (tail + data.subarray(Math.max(0, data.length - 64)).toString('latin1')).slice(-128);
      if (!told && received > 1e6) {
        told = true;
        started();
      }
      if (tail.includes(marker)) {
        const seconds = (performance.now() - begin) / 1000;
        ws.close();
        resolve({ bytes: received, seconds });
      }
    });
    ws.send(Buffer.from(floodCommand(n, bytes)), { binary: true });
  });
}

async function clientMain(role: string, target: Target, count: number): Promise<void> {
  const send = (message: unknown) => process.send!(message);
  const open = () => TerminalClient.open(target.url, target.session, target.node, { token: target.token });
  let echo: TerminalClient | undefined;
  let idle: TerminalClient[] = [];
  if (role === 'echo') {
    echo = await open();
    await echo.waitFor('# ');
  } else if (role === 'idle') {
    idle = await Promise.all(Array.from({ length: count }, open));
  }
  process.on('message', async (request: Request) => {
    if (request.cmd === 'close') {
      await Promise.all([echo, ...idle].map((t) => t?.close()));
      process.exit(0);
    } else if (request.cmd === 'echo' && echo) {
      const term = echo;
      send({ delays: await echoLatency((text) => term.type(text), () => term.received, (probe) => term.waitFor(probe, 5000), KEYS) });
    } else if (request.cmd === 'flood') {
      send({ result: await floodClient(target, request.n, request.bytes ?? FLOOD_BYTES, () => send({ started: true })) });
    }
  });
  send({ ready: true });
}

/** A client process seen from the benchmark: requests go over IPC, replies come back in order. */
class ClientProcess {
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(message: Record<string, unknown>) => void>();

  private constructor(role: string, target: Target, count: number) {
    this.child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', role, JSON.stringify(target), String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: Record<string, unknown>) => {
      for (const listener of [...this.listeners]) listener(message);
    });
  }

  static async start(role: 'echo' | 'flood' | 'idle', target: Target, count = 1): Promise<ClientProcess> {
    const client = new ClientProcess(role, target, count);
    await client.next('ready');
    return client;
  }

  /** The next message carrying `key`. */
  next<T>(key: string, timeoutMs = 300_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client: no ${key} in ${timeoutMs} ms`)), timeoutMs);
      const listener = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message[key] as T);
      };
      this.listeners.add(listener);
    });
  }

  request(request: Request): void {
    this.child.send(request);
  }

  close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ cmd: 'close' });
    });
  }
}

// ---- the benchmark: server in this process ----

/** Runs `fn` and says how long this process's event loop (the server's) was held up meanwhile. */
async function watchingTheLoop<T>(fn: () => Promise<T>): Promise<{ value: T; loopP99: number; loopMax: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const value = await fn();
  loop.disable();
  return { value, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

const summary = (delays: number[]) => `median ${percentile(delays, 50).toFixed(2)} ms, p99 ${percentile(delays, 99).toFixed(2)} ms (n=${delays.length})`;
const loopSummary = (r: { loopP99: number; loopMax: number }) => `server event loop delay p99 ${r.loopP99.toFixed(1)} ms, max ${r.loopMax.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-bench-term-'));
  const engine = new DockerEngine();
  const server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 'b-term', dataDir, logLevel: 'warn' } }), { engine });
  const figures: Figure[] = [];
  const clients: ClientProcess[] = [];
  try {
    // node1: the keystrokes; node2: the flood; node3: the other learners' idle terminals.
    const res = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }] }),
    });
    if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
    const session = (await res.json()) as CreatedSessionView;
    const target = (node: string): Target => ({ url: server.url, session: session.id, token: session.token, node });
    const node1Container = (await engine.listContainers('b-term')).find((c) => c.labels['io.swarm-workshop.session'] === session.id && c.labels['io.swarm-workshop.node'] === 'node1')!;

    const direct = await directEcho(engine, node1Container.id);
    console.log(`echo, direct docker exec -it (baseline): ${summary(direct)}`);

    const echo = await ClientProcess.start('echo', target('node1'));
    clients.push(echo);
    const measureEcho = () =>
      watchingTheLoop(async () => {
        echo.request({ cmd: 'echo' });
        return echo.next<number[]>('delays');
      });
    const alone = await measureEcho();
    console.log(`echo, one terminal alone:               ${summary(alone.value)}; ${loopSummary(alone)}`);
    figures.push(
      { name: 'echo median, one terminal', value: percentile(alone.value, 50), unit: 'ms', target: { atMost: 2.5 }, baseline: { name: 'docker exec -it', value: percentile(direct, 50) } },
      { name: 'echo p99, one terminal', value: percentile(alone.value, 99), unit: 'ms', target: { atMost: 5 }, baseline: { name: 'docker exec -it', value: percentile(direct, 99) } },
    );

    // 30 more open terminals: real shells (TTY execs) held by the server's terminal hub, and 30 websockets of
    // another process, all on node3 (idle: the other learners of a class, not watchers of the flood or the echo).
    const own = server.sessions.authorize(session.id, session.token);
    const idleShells = await Promise.all(
      Array.from({ length: IDLE_TERMINALS }, async (_, i) => {
        const terminal = server.terminals.hub.terminal(session.id, `bench-idle-${i}`, (size) => server.sessions.openTerminal(own, 'node3', size));
        await terminal.attach({ bufferedAmount: 0, sendBinary: () => undefined, sendText: () => undefined, close: () => undefined }, { since: 0, readonly: false });
        return terminal;
      }),
    );
    const idle = await ClientProcess.start('idle', target('node3'), IDLE_TERMINALS);
    clients.push(idle);
    console.log(`(${idleShells.filter((t) => t.running).length} idle shells and ${IDLE_TERMINALS} idle websockets open)`);
    const crowded = await measureEcho();
    console.log(`echo, with ${IDLE_TERMINALS} other open terminals:  ${summary(crowded.value)}; ${loopSummary(crowded)}`);
    figures.push({ name: `echo p99, ${IDLE_TERMINALS} other open terminals`, value: percentile(crowded.value, 99), unit: 'ms', target: { atMost: 15 } });

    // The same, while one more terminal (its own client process) floods its output as fast as the server lets it.
    const flood = await ClientProcess.start('flood', target('node2'));
    clients.push(flood);
    flood.request({ cmd: 'flood', n: 6, bytes: LONG_FLOOD_BYTES });
    let floodEnded = false;
    const floodResult = flood.next<{ bytes: number; seconds: number }>('result').then((r) => ((floodEnded = true), r));
    await flood.next('started', 60_000);
    const flooded = await measureEcho();
    if (floodEnded) console.log('(the flood ended before the echo did: raise LONG_FLOOD_BYTES)');
    console.log(`echo, ${IDLE_TERMINALS} open terminals and one flooding: ${summary(flooded.value)}; ${loopSummary(flooded)}`);
    figures.push({ name: `echo p99, ${IDLE_TERMINALS} open terminals + one flooding`, value: percentile(flooded.value, 99), unit: 'ms', target: { atMost: 15 } });
    const during = await floodResult;
    const cap = DEFAULT_TERMINAL_OPTIONS.maxBytesPerSecond / 1e6;
    console.log(`throughput, one terminal (websocket, ${cap.toFixed(1)} MB/s cap): ${(during.bytes / 1e6 / during.seconds).toFixed(1)} MB/s (${(during.bytes / 1e6).toFixed(0)} MB in ${during.seconds.toFixed(1)} s, while the echo ran)`);
    await idle.close();
    for (const shell of idleShells) shell.close(1000, 'done');

    flood.request({ cmd: 'flood', n: 7 });
    const solo = await watchingTheLoop(() => flood.next<{ bytes: number; seconds: number }>('result'));
    const soloRate = solo.value.bytes / 1e6 / solo.value.seconds;
    console.log(`throughput, one terminal alone (websocket): ${soloRate.toFixed(1)} MB/s; ${loopSummary(solo)}`);
    figures.push({ name: 'flood throughput, one terminal through the websocket', value: soloRate, unit: 'MB/s', target: { atLeast: 20 } });

    // The same flood with the cap off, into a sink that only counts: what exec stream + batching sustain.
    const raw = new Terminal((size) => server.sessions.openTerminal(own, 'node2', size), { ...DEFAULT_TERMINAL_OPTIONS, maxBytesPerSecond: 0 });
    let bytes = 0;
    let text = '';
    const attached = await raw.attach(
      { bufferedAmount: 0, sendBinary: (d) => { bytes += d.length; text = (text + d.subarray(Math.max(0, d.length - 64)).toString('latin1')).slice(-128); }, sendText: () => undefined, close: () => undefined },
      { since: 0, readonly: false },
    );
    await pause(500);
    const rawStart = performance.now();
    const rawBefore = bytes;
    attached.input(Buffer.from(floodCommand(8)));
    while (!text.includes(floodMarker(8))) await pause(20);
    const rawRate = (bytes - rawBefore) / 1e6 / ((performance.now() - rawStart) / 1000);
    console.log(`throughput, one terminal (server side, no cap): ${rawRate.toFixed(1)} MB/s`);
    raw.close(1000, 'done');
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report('terminal-latency', figures);
}

if (process.argv[2] === '--client') await clientMain(process.argv[3], JSON.parse(process.argv[4]) as Target, Number(process.argv[5]));
else await main();
