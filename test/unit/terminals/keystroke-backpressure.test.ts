import { Duplex, PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TerminalServerMessage } from '../../../shared/protocol.js';
import { Terminal, type TerminalSink } from '../../../server/terminals/terminal.js';

const sink = (): TerminalSink => ({ bufferedAmount: 0, sendBinary: () => undefined, sendText: (_m: TerminalServerMessage) => undefined, close: () => undefined });
const options = { bufferBytes: 1024, batchDelayMs: 1, batchMaxBytes: 64, highWater: 100, lowWater: 10, readonlyDropBytes: 1000, pollMs: 2, maxBytesPerSecond: 0, burstBytes: 1 };

/** A shell whose stdin takes bytes only when the test lets it: `release()` drains what was written so far. */
function slowShell() {
  const pending: Array<() => void> = [];
  let received = 0;
  const stdin = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      pending.push(() => {
        received += chunk.length;
        done();
      });
    },
  });
  const stream = Duplex.from({ readable: new PassThrough(), writable: stdin });
  const release = () => {
    while (pending.length) pending.shift()!();
  };
  return { process: { stream, resize: async () => undefined }, release, received: () => received };
}

describe('keystroke backpressure', () => {
  it('asks the sender to wait while the shell\'s input is full, and calls back once it drained', async () => {
    const shell = slowShell();
    const terminal = new Terminal(async () => shell.process, options);
    const attachment = await terminal.attach(sink(), { since: 0, readonly: false });
    let writes = 0;
    while (writes < 1000 && attachment.input(Buffer.alloc(512, 'a'))) writes++;
    writes++;
    expect(writes).toBeLessThan(1000);
    let woken = 0;
    attachment.whenWritable(() => woken++);
    expect(woken).toBe(0);
    for (let i = 0; i < 20 && woken === 0; i++) {
      shell.release();
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(woken).toBe(1);
    expect(shell.received()).toBe(writes * 512);
    let now = 0;
    attachment.whenWritable(() => now++);
    expect(now).toBe(1);
    terminal.close(1000, 'done');
  });

  it('wakes a waiting sender when the terminal closes, so no socket stays paused', async () => {
    const shell = slowShell();
    const terminal = new Terminal(async () => shell.process, options);
    const attachment = await terminal.attach(sink(), { since: 0, readonly: false });
    for (let i = 0; i < 1000 && attachment.input(Buffer.alloc(512)); i++) { /* fill the shell's input */ }
    let woken = false;
    attachment.whenWritable(() => (woken = true));
    terminal.close(1000, 'bye');
    expect(woken).toBe(true);
  });
});
