import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ExecResult } from '../engine/docker-engine.js';
import type { ExecLimits } from './node-backend.js';

/**
 * The shell ended, or could not take the command, before it answered: nothing is known of the command's
 * outcome, so the caller may run it another way (a plain exec).
 */
export class ProbeShellGoneError extends Error {}

/** Quotes a string for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const END = '@@probe-shell-end';

/**
 * What is written to the shell for one command. The command runs as a plain exec would run it: its own
 * `bash -c` under `timeout -s KILL` (so a runaway command dies as it did, and no state is left in the shell),
 * no stdin (it must not read the next request), stderr with stdout. Then a line only this request can print:
 * a newline (so the output is kept exactly, whether or not it ended in one), the marker with the request's
 * random nonce, and the exit code.
 */
export function frameCommand(command: string, nonce: string, timeoutSeconds: number): string {
  return `timeout -s KILL ${timeoutSeconds} bash -c ${shellQuote(command)} </dev/null 2>&1; printf '\\n%s %s\\n' '${END}-${nonce}' "$?"\n`;
}

/**
 * Reads one request's answer from the shell's output: keeps at most `maxOutputBytes` of it (as an exec does),
 * and finds the end line even past that limit, looking only at a short tail of what goes uncounted.
 */
export class AnswerReader {
  private readonly marker: Buffer;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private truncated = false;
  /** Everything not yet known to be output rather than the start of the end line. */
  private pending = Buffer.alloc(0);

  constructor(nonce: string, private readonly maxOutputBytes: number) {
    this.marker = Buffer.from(`\n${END}-${nonce} `);
  }

  /** Feeds output; returns the answer once its end line is complete. */
  push(chunk: Buffer): Omit<ExecResult, 'timedOut'> | undefined {
    this.pending = Buffer.concat([this.pending, chunk]);
    const at = this.pending.indexOf(this.marker);
    if (at >= 0) {
      const newline = this.pending.indexOf(0x0a, at + this.marker.length);
      if (newline < 0) return undefined;
      this.keep(this.pending.subarray(0, at));
      const exitCode = this.pending.subarray(at + this.marker.length, newline).toString('ascii');
      return { exitCode: /^\d+$/.test(exitCode) ? Number(exitCode) : -1, output: this.output(), truncated: this.truncated };
    }
    // All but a marker's length of what is pending is surely output.
    const safe = this.pending.length - this.marker.length;
    if (safe > 0) {
      this.keep(this.pending.subarray(0, safe));
      this.pending = this.pending.subarray(safe);
    }
    return undefined;
  }

  /** What was read so far, for a request that timed out. */
  output(): string {
    return Buffer.concat(this.kept).toString('utf8');
  }

  get isTruncated(): boolean {
    return this.truncated;
  }

  private keep(bytes: Buffer): void {
    const room = this.maxOutputBytes - this.keptBytes;
    if (bytes.length > room) this.truncated = true;
    if (room <= 0) return;
    const slice = bytes.subarray(0, room);
    // Copied: `pending` is a view into a buffer that later concatenations would otherwise keep alive.
    this.kept.push(Buffer.from(slice));
    this.keptBytes += slice.length;
  }
}

/**
 * One long-lived shell in a node, taking commands on its stdin one at a time (framed: frameCommand), so a
 * command costs a fork instead of a `docker exec` (about 55 ms on this engine before the command starts).
 * A request that times out kills the shell (its answer is the output so far, exit 124, as an exec's);
 * the owner opens a new one for the next request.
 */
export class ProbeShell {
  private queue: Promise<unknown> = Promise.resolve();
  private current: { reader: AnswerReader; settle: (result: ExecResult | Error) => void } | undefined;
  private ended = false;

  constructor(private readonly stream: Duplex, private readonly nonce: () => string = () => randomBytes(12).toString('hex')) {
    stream.on('data', (chunk: Buffer) => {
      const current = this.current;
      if (!current) return; // output of no request (a probe's leftover background job): dropped
      const answer = current.reader.push(chunk);
      if (answer) current.settle({ ...answer, timedOut: false });
    });
    const end = () => {
      this.ended = true;
      this.current?.settle(new ProbeShellGoneError('the probe shell ended before it answered'));
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  get alive(): boolean {
    return !this.ended;
  }

  /**
   * Runs a command after the ones already asked; rejects with ProbeShellGoneError when the shell ends first.
   * Aborted while it waits for its turn, it is never sent (a command already sent runs to its end).
   */
  run(command: string, limits: ExecLimits, signal?: AbortSignal): Promise<ExecResult> {
    const result = this.queue.then(() => (signal?.aborted ? Promise.reject(signal.reason) : this.send(command, limits)));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.ended = true;
    this.stream.destroy();
  }

  private send(command: string, limits: ExecLimits): Promise<ExecResult> {
    if (this.ended) return Promise.reject(new ProbeShellGoneError('the probe shell has ended'));
    const nonce = this.nonce();
    const reader = new AnswerReader(nonce, limits.maxOutputBytes);
    return new Promise<ExecResult>((resolve, reject) => {
      // The engine-side guard, a little after the node's own `timeout` (as DockerNodeBackend.exec has it).
      const timer = setTimeout(() => {
        settle({ exitCode: 124, output: reader.output(), truncated: reader.isTruncated, timedOut: true });
        this.close();
      }, limits.timeoutMs + 3000);
      const settle = (result: ExecResult | Error) => {
        clearTimeout(timer);
        this.current = undefined;
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      this.current = { reader, settle };
      const seconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000));
      this.stream.write(frameCommand(command, nonce, seconds));
    });
  }
}
