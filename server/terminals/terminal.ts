import { randomBytes } from 'node:crypto';
import { TERMINAL_CLOSE, type TerminalServerMessage } from '../../shared/protocol.js';
import type { TerminalProcess } from '../nodes/node-backend.js';
import { BlockBuffer } from './block-buffer.js';
import type { KeystrokePriority, Yielding } from './keystroke-priority.js';
import { OutputBatcher } from './output-batcher.js';
import { RateLimiter } from './rate-limiter.js';
import { PauseVotes, Watermark } from './watermark.js';

/** Where a terminal's output goes: a websocket, or a fake in tests. */
export interface TerminalSink {
  readonly bufferedAmount: number;
  sendBinary(data: Buffer): void;
  sendText(message: TerminalServerMessage): void;
  close(code: number, reason: string): void;
}

export interface TerminalOptions {
  /** Output kept for reconnects. */
  bufferBytes: number;
  batchDelayMs: number;
  batchMaxBytes: number;
  /** A writer above `highWater` buffered bytes pauses the process until it is below `lowWater`. */
  highWater: number;
  lowWater: number;
  /** A read-only watcher never pauses the process; it is dropped when it falls this far behind. */
  readonlyDropBytes: number;
  pollMs: number;
  /** Output rate one terminal may sustain (0: unlimited); a browser shows far less than this anyway. */
  maxBytesPerSecond: number;
  burstBytes: number;
}

/** How long after sustained output a terminal still counts as flooding (held while others wait for an echo). */
export const BULK_LINGER_MS = 100;

export const DEFAULT_TERMINAL_OPTIONS: TerminalOptions = {
  bufferBytes: 256 * 1024,
  batchDelayMs: 4,
  batchMaxBytes: 32 * 1024,
  highWater: 256 * 1024,
  lowWater: 64 * 1024,
  readonlyDropBytes: 4 * 1024 * 1024,
  pollMs: 10,
  maxBytesPerSecond: 32 * 1024 * 1024,
  burstBytes: 1024 * 1024,
};

export type Size = { cols: number; rows: number };
export type SpawnTerminal = (size: Size) => Promise<TerminalProcess>;

export interface AttachOptions {
  since: number;
  epoch?: string;
  readonly: boolean;
  size?: Size;
}

export interface Attachment {
  /**
   * Keystrokes for the shell. Returns false when the shell's input is congested (its stdin stream is full, or
   * input waits behind a resize): the caller stops reading its socket until `whenWritable` calls back.
   */
  input(data: Buffer): boolean;
  /** Calls back once (now, if it already is) when the shell takes input again. */
  whenWritable(callback: () => void): void;
  resize(size: Size): void;
  /** The client's own flow control: hold output while its terminal emulator catches up. */
  flow(paused: boolean): void;
  detach(): void;
}

interface Watcher {
  sink: TerminalSink;
  readonly: boolean;
  mark: Watermark;
  clientPaused: boolean;
}

export const EXITED_CLOSE_CODE = TERMINAL_CLOSE.exited;

/** Input waiting behind a resize, in bytes, above which the sender is asked to wait. */
const INPUT_QUEUE_HIGH_WATER = 64 * 1024;
/**
 * Input not yet taken by the shell, in bytes, past which more is dropped: backpressure pauses one socket, but a
 * client that reconnects and pastes again would otherwise pile up input the shell chews on for minutes.
 */
export const INPUT_BACKLOG_MAX = 256 * 1024;

/**
 * One shell on one node, shared by any number of sockets and outliving them.
 * Output is batched into numbered blocks kept in a bounded buffer; the process
 * is paused while a writing watcher's socket is congested. A shell that exits
 * is replaced by a fresh one on the next attach; block numbers keep growing.
 */
export class Terminal {
  readonly epoch = randomBytes(6).toString('hex');
  private readonly buffer: BlockBuffer;
  private readonly batcher: OutputBatcher;
  private readonly watchers = new Set<Watcher>();
  private readonly votes = new PauseVotes<Watcher | 'rate' | 'yield'>();
  private readonly limiter: RateLimiter | undefined;
  private throttled = false;
  private process: TerminalProcess | undefined;
  private starting: Promise<TerminalProcess> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private size: Size = { cols: 80, rows: 24 };
  private closed = false;
  /** Input and resizes in the order the client sent them (see write). */
  private ordered: Promise<void> = Promise.resolve();
  private resizesInFlight = 0;
  /** Input bytes queued behind a resize; with the stream's own buffer, what keystroke backpressure watches. */
  private queuedInputBytes = 0;
  private readonly writableWaiters = new Set<() => void>();
  /** When output was last sustained (batched or rate-limited): a terminal that floods yields to keystrokes. */
  private lastBulkAt = Number.NEGATIVE_INFINITY;
  /** This terminal as the keystroke priority sees it. */
  private readonly yielding: Yielding;

  constructor(
    private readonly spawn: SpawnTerminal,
    private readonly options: TerminalOptions = DEFAULT_TERMINAL_OPTIONS,
    /** Whether the terminal's session still lives; a shell that dies with its session closes sockets as "session ended". */
    private readonly sessionAlive: () => boolean = () => true,
    /** Shared by the terminals of a server: floods hold while a keystroke waits for its echo. */
    private readonly priority?: KeystrokePriority,
  ) {
    this.buffer = new BlockBuffer(options.bufferBytes);
    this.limiter = options.maxBytesPerSecond > 0 ? new RateLimiter(options.maxBytesPerSecond, options.burstBytes, Date.now()) : undefined;
    this.batcher = new OutputBatcher({ delayMs: options.batchDelayMs, maxBytes: options.batchMaxBytes }, (block) => this.deliver(block));
    const terminal = this;
    this.yielding = {
      get bulk() {
        return terminal.throttled || performance.now() - terminal.lastBulkAt < BULK_LINGER_MS;
      },
      hold: (held) => {
        if (!this.closed) this.apply(this.votes.set('yield', held));
      },
    };
    priority?.add(this.yielding);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  get lastBlock(): number {
    return this.buffer.last;
  }

  /** Connects a sink: starts a shell if none runs, replays what the sink missed, then streams live output. */
  async attach(sink: TerminalSink, options: AttachOptions): Promise<Attachment> {
    if (this.closed) throw new Error('terminal closed');
    if (options.size && !options.readonly) this.size = options.size;
    await this.ensureProcess();
    if (this.closed) throw new Error('terminal closed');
    // Pending output becomes a block first, so the replay and the live blocks meet exactly.
    this.batcher.flush();
    const sameHistory = options.epoch === undefined || options.epoch === this.epoch;
    const replay = this.buffer.since(sameHistory ? options.since : 0);
    const reset = !sameHistory || replay.truncated;
    sink.sendText({ type: 'attached', epoch: this.epoch, last: replay.last, reset: reset && options.since > 0, readonly: options.readonly });
    sink.sendBinary(replay.data);
    const watcher: Watcher = { sink, readonly: options.readonly, mark: new Watermark(this.options.highWater, this.options.lowWater), clientPaused: false };
    this.watchers.add(watcher);
    if (options.size && !options.readonly) this.resizeInOrder(options.size);
    return {
      input: (data) => {
        if (!watcher.readonly && this.watchers.has(watcher)) this.write(data);
        return !this.inputCongested();
      },
      whenWritable: (callback) => {
        if (!this.inputCongested()) callback();
        else this.writableWaiters.add(callback);
      },
      resize: (size) => {
        if (watcher.readonly || !this.watchers.has(watcher)) return;
        this.size = size;
        this.resizeInOrder(size);
      },
      flow: (paused) => {
        if (watcher.readonly || !this.watchers.has(watcher)) return;
        watcher.clientPaused = paused;
        this.vote(watcher);
      },
      detach: () => this.detach(watcher),
    };
  }

  /**
   * Keystrokes that follow a resize must reach the shell after it: a resize is
   * an API call to the engine, input goes down the attach stream. Input waits
   * only while a resize is in flight.
   */
  private write(data: Buffer): void {
    if (this.process) this.priority?.keystroke(this.yielding);
    if (this.queuedInputBytes + (this.process?.stream.writableLength ?? 0) + data.length > INPUT_BACKLOG_MAX) return;
    if (this.resizesInFlight === 0 && this.queuedInputBytes === 0) {
      this.process?.stream.write(data);
      return;
    }
    this.queuedInputBytes += data.length;
    this.ordered = this.ordered.then(() => {
      this.queuedInputBytes -= data.length;
      this.process?.stream.write(data);
      this.wakeWriters();
    });
  }

  /** Whether keystrokes should wait: the shell's stdin is full, or too much waits behind a resize. */
  private inputCongested(): boolean {
    return this.queuedInputBytes > INPUT_QUEUE_HIGH_WATER || (this.process?.stream.writableNeedDrain ?? false);
  }

  private wakeWriters(): void {
    if (this.inputCongested() && !this.closed && this.process) return;
    const waiting = [...this.writableWaiters];
    this.writableWaiters.clear();
    for (const callback of waiting) callback();
  }

  private resizeInOrder(size: Size): void {
    this.resizesInFlight += 1;
    this.ordered = this.ordered
      .then(() => this.process?.resize(size.cols, size.rows))
      .catch(() => undefined)
      .finally(() => {
        this.resizesInFlight -= 1;
      });
  }

  /** Types text into the running shell, as a keystroke would (the lesson runner's "run" button); false when no shell runs. */
  typeText(text: string): boolean {
    if (!this.process || this.closed) return false;
    this.write(Buffer.from(text));
    return true;
  }

  /** Ends the shell and closes every sink. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.priority?.remove(this.yielding);
    this.batcher.dispose();
    clearInterval(this.poll);
    const process = this.process;
    this.process = undefined;
    process?.stream.destroy();
    this.wakeWriters();
    for (const watcher of this.watchers) watcher.sink.close(code, reason);
    this.watchers.clear();
  }

  private ensureProcess(): Promise<TerminalProcess> {
    if (this.process) return Promise.resolve(this.process);
    this.starting ??= this.spawn(this.size)
      .then(async (process) => {
        // Docker ignores an exec's initial console size on some engines; set it before the first prompt.
        await process.resize(this.size.cols, this.size.rows).catch(() => undefined);
        if (this.closed) {
          process.stream.destroy();
          throw new Error('terminal closed');
        }
        this.process = process;
        this.wire(process);
        // A resize sent while the process is still starting can be lost; repeat it once the shell settled.
        for (const delay of [300, 1500]) {
          setTimeout(() => {
            if (this.process === process) void process.resize(this.size.cols, this.size.rows);
          }, delay).unref();
        }
        return process;
      })
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  private wire(process: TerminalProcess): void {
    const { stream } = process;
    stream.on('data', (chunk: Buffer) => {
      if (this.batcher.sustained) this.lastBulkAt = performance.now();
      this.batcher.push(chunk);
      this.priority?.output(this.yielding);
      this.throttle(chunk.length);
    });
    stream.on('error', () => undefined);
    stream.on('drain', () => this.wakeWriters());
    let ended = false;
    const onEnd = () => {
      if (ended) return;
      ended = true;
      void this.exited(process);
    };
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    if (!this.votes.running) stream.pause();
  }

  private async exited(process: TerminalProcess): Promise<void> {
    if (this.process !== process) return;
    this.process = undefined;
    this.wakeWriters();
    this.batcher.flush();
    const code = (await process.exitCode?.().catch(() => null)) ?? null;
    if (this.closed) return;
    if (!this.sessionAlive()) return this.close(TERMINAL_CLOSE.sessionEnded, 'session ended');
    this.deliver(Buffer.from(`\r\n\x1b[2m[shell exited${code === null ? '' : ` with code ${code}`}; a new one starts on reconnect]\x1b[0m\r\n`));
    for (const watcher of [...this.watchers]) {
      watcher.sink.sendText({ type: 'exit', code });
      watcher.sink.close(EXITED_CLOSE_CODE, 'shell exited');
      this.detach(watcher);
    }
  }

  private throttle(bytes: number): void {
    const wait = this.limiter?.take(bytes, Date.now()) ?? 0;
    if (wait <= 0 || this.throttled) return;
    this.throttled = true;
    this.apply(this.votes.set('rate', true));
    setTimeout(() => {
      this.throttled = false;
      if (!this.closed) this.apply(this.votes.set('rate', false));
    }, wait).unref();
  }

  private deliver(block: Buffer): void {
    this.buffer.append(block);
    for (const watcher of this.watchers) {
      watcher.sink.sendBinary(block);
      this.check(watcher);
    }
  }

  private check(watcher: Watcher): void {
    const buffered = watcher.sink.bufferedAmount;
    if (watcher.readonly) {
      if (buffered > this.options.readonlyDropBytes) {
        watcher.sink.close(1013, 'too far behind; reconnect');
        this.detach(watcher);
      }
      return;
    }
    if (watcher.mark.update(buffered)) this.vote(watcher);
  }

  private vote(watcher: Watcher): void {
    this.apply(this.votes.set(watcher, watcher.mark.isCongested || watcher.clientPaused));
  }

  private detach(watcher: Watcher): void {
    if (!this.watchers.delete(watcher)) return;
    this.apply(this.votes.forget(watcher));
  }

  private apply(flip: 'pause' | 'resume' | null): void {
    if (flip === 'pause') {
      this.process?.stream.pause();
      this.poll ??= setInterval(() => {
        for (const watcher of this.watchers) if (watcher.mark.isCongested) this.check(watcher);
      }, this.options.pollMs);
    } else if (flip === 'resume') {
      clearInterval(this.poll);
      this.poll = undefined;
      this.process?.stream.resume();
    }
  }
}
