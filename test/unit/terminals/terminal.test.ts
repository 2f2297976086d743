import { PassThrough, Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TerminalServerMessage } from '../../../shared/protocol.js';
import { Terminal, type TerminalSink } from '../../../server/terminals/terminal.js';
import { TerminalHub } from '../../../server/terminals/terminal-hub.js';

class FakeSink implements TerminalSink {
  bufferedAmount = 0;
  texts: TerminalServerMessage[] = [];
  binaries: string[] = [];
  closedWith: number | undefined;
  sendBinary(data: Buffer) {
    this.binaries.push(data.toString());
  }
  sendText(message: TerminalServerMessage) {
    this.texts.push(message);
  }
  close(code: number) {
    this.closedWith = code;
  }
}

function fakeProcess() {
  const output = new PassThrough();
  const input: string[] = [];
  const stream = Duplex.from({ readable: output, writable: new PassThrough().on('data', (d: Buffer) => input.push(d.toString())) });
  const resizes: Array<[number, number]> = [];
  return { stream, output, input, resizes, resize: async (cols: number, rows: number) => void resizes.push([cols, rows]), exitCode: async () => 0 };
}

const options = { bufferBytes: 1024, batchDelayMs: 1, batchMaxBytes: 64, highWater: 100, lowWater: 10, readonlyDropBytes: 1000, pollMs: 2, maxBytesPerSecond: 0, burstBytes: 1 };
const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

describe('Terminal', () => {
  it('replays only what a reconnecting watcher missed, then streams live blocks', async () => {
    const procs: ReturnType<typeof fakeProcess>[] = [];
    const terminal = new Terminal(async () => (procs.push(fakeProcess()), procs.at(-1)!), options);
    const first = new FakeSink();
    const a = await terminal.attach(first, { since: 0, readonly: false });
    procs[0].output.write('hello ');
    await tick();
    procs[0].output.write('world');
    await tick();
    expect(first.binaries).toEqual(['', 'hello ', 'world']);
    a.detach();
    procs[0].output.write('!');
    await tick();
    const second = new FakeSink();
    await terminal.attach(second, { since: 2, epoch: terminal.epoch, readonly: false });
    expect(second.texts[0]).toMatchObject({ type: 'attached', last: 3, reset: false });
    expect(second.binaries).toEqual(['!']);
    const third = new FakeSink();
    await terminal.attach(third, { since: 2, epoch: 'other', readonly: false });
    expect(third.texts[0]).toMatchObject({ reset: true });
    expect(third.binaries).toEqual(['hello world!']);
    expect(procs).toHaveLength(1);
  });

  it('types text into a running shell for the lesson runner, and says when none runs', async () => {
    const proc = fakeProcess();
    const hub = new TerminalHub(options);
    expect(hub.type('s1', 'node1', 'ls\n')).toBe(false);
    const terminal = hub.terminal('s1', 'node1', async () => proc);
    expect(hub.type('s1', 'node1', 'ls\n')).toBe(false);
    await terminal.attach(new FakeSink(), { since: 0, readonly: false });
    expect(hub.type('s1', 'node1', 'docker node ls\n')).toBe(true);
    await tick();
    expect(proc.input.join('')).toBe('docker node ls\n');
    hub.closeSession('s1');
    expect(hub.type('s1', 'node1', 'ls\n')).toBe(false);
  });

  it('drops input and resizes from a read-only watcher', async () => {
    const proc = fakeProcess();
    const terminal = new Terminal(async () => proc, options);
    const viewer = await terminal.attach(new FakeSink(), { since: 0, readonly: true });
    const writer = await terminal.attach(new FakeSink(), { since: 0, readonly: false });
    viewer.input(Buffer.from('rm -rf /\n'));
    viewer.resize({ cols: 10, rows: 10 });
    writer.input(Buffer.from('ls\n'));
    writer.resize({ cols: 100, rows: 30 });
    await tick();
    expect(proc.input.join('')).toBe('ls\n');
    expect(proc.resizes.at(-1)).toEqual([100, 30]);
    expect(proc.resizes).not.toContainEqual([10, 10]);
  });

  it('lets keystrokes that follow a resize reach the shell after it', async () => {
    const proc = fakeProcess();
    const events: string[] = [];
    proc.resize = async (cols: number, rows: number) => {
      await tick(20);
      events.push(`resize ${cols}x${rows}`);
    };
    const terminal = new Terminal(async () => proc, options);
    const writer = await terminal.attach(new FakeSink(), { since: 0, readonly: false });
    const write = proc.stream.write.bind(proc.stream);
    proc.stream.write = ((data: Buffer) => (events.push(`input ${data}`), write(data))) as typeof proc.stream.write;
    writer.input(Buffer.from('a'));
    writer.resize({ cols: 100, rows: 30 });
    writer.input(Buffer.from('b'));
    await tick(60);
    expect(events.filter((e) => !e.startsWith('resize 80x24'))).toEqual(['input a', 'resize 100x30', 'input b']);
  });

  it('pauses the process while a writer is congested and resumes below the low mark', async () => {
    const proc = fakeProcess();
    const terminal = new Terminal(async () => proc, options);
    const sink = new FakeSink();
    await terminal.attach(sink, { since: 0, readonly: false });
    sink.bufferedAmount = 500;
    proc.output.write('x'.repeat(70));
    await tick();
    expect(proc.stream.isPaused()).toBe(true);
    sink.bufferedAmount = 50;
    await tick();
    expect(proc.stream.isPaused()).toBe(true);
    sink.bufferedAmount = 0;
    await tick();
    expect(proc.stream.isPaused()).toBe(false);
  });

  it('holds output while a client asks for it (its own flow control)', async () => {
    const proc = fakeProcess();
    const terminal = new Terminal(async () => proc, options);
    const viewer = await terminal.attach(new FakeSink(), { since: 0, readonly: true });
    const writer = await terminal.attach(new FakeSink(), { since: 0, readonly: false });
    viewer.flow(true);
    expect(proc.stream.isPaused()).toBe(false);
    writer.flow(true);
    expect(proc.stream.isPaused()).toBe(true);
    writer.flow(false);
    expect(proc.stream.isPaused()).toBe(false);
    writer.flow(true);
    writer.detach();
    expect(proc.stream.isPaused()).toBe(false);
  });

  it('holds a terminal that outputs faster than its rate limit', async () => {
    const proc = fakeProcess();
    const terminal = new Terminal(async () => proc, { ...options, maxBytesPerSecond: 10_000, burstBytes: 1000 });
    const sink = new FakeSink();
    await terminal.attach(sink, { since: 0, readonly: false });
    proc.output.write('y'.repeat(2000));
    await tick(20);
    expect(proc.stream.isPaused()).toBe(true);
    await tick(150);
    expect(proc.stream.isPaused()).toBe(false);
    expect(sink.binaries.join('').length).toBe(2000);
  });

  it('tells watchers when the shell exits and starts a fresh one on the next attach', async () => {
    const procs: ReturnType<typeof fakeProcess>[] = [];
    const terminal = new Terminal(async () => (procs.push(fakeProcess()), procs.at(-1)!), options);
    const sink = new FakeSink();
    await terminal.attach(sink, { since: 0, readonly: false });
    procs[0].output.end('bye');
    await tick(30);
    expect(sink.texts.at(-1)).toEqual({ type: 'exit', code: 0 });
    expect(sink.closedWith).toBe(4000);
    expect(terminal.running).toBe(false);
    await terminal.attach(new FakeSink(), { since: 0, readonly: false });
    expect(procs).toHaveLength(2);
    terminal.close(4001, 'session ended');
    expect(procs[1].stream.destroyed).toBe(true);
  });
  it('holds a flooding terminal of the hub while a keystroke elsewhere waits for its echo, and lets it go after', async () => {
    const hub = new TerminalHub({ ...options, batchDelayMs: 20 }, 200);
    const floodProc = fakeProcess();
    const typistProc = fakeProcess();
    const flood = hub.terminal('s1', 'node1', async () => floodProc);
    const typist = hub.terminal('s2', 'node1', async () => typistProc);
    await flood.attach(new FakeSink(), { since: 0, readonly: false });
    const typing = await typist.attach(new FakeSink(), { since: 0, readonly: false });
    // A quiet terminal is not held by a keystroke elsewhere.
    typing.input(Buffer.from('k'));
    expect(floodProc.stream.isPaused()).toBe(false);
    typistProc.output.write('k');
    await tick();
    // Sustained output (chunks within the batch delay of each other) makes it a flood.
    floodProc.output.write('y'.repeat(10));
    await tick(2);
    floodProc.output.write('y'.repeat(10));
    await tick(2);
    typing.input(Buffer.from('k'));
    expect(floodProc.stream.isPaused()).toBe(true);
    expect(hub.priority.holding).toBe(1);
    typistProc.output.write('k');
    await tick();
    expect(floodProc.stream.isPaused()).toBe(false);
    hub.closeAll();
  });
});
