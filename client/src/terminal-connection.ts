import { TERMINAL_CLOSE } from '../../shared/terminal-codes.js';
import { TerminalServerMessageSchema } from '../../shared/view-schemas.js';
import { Backoff } from './backoff.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'ended';

export interface ConnectionHandlers {
  url(query: { since: number; epoch?: string; cols: number; rows: number }): string;
  size(): { cols: number; rows: number };
  onData(data: Uint8Array): void;
  /** The server says the screen is stale (other history, or too far behind): clear it before the replay. */
  onReset(): void;
  onState(state: ConnectionState, detail?: string): void;
  /** Whether the emulator is still behind (a fresh socket then asks the server to hold output again). */
  held(): boolean;
  /** Asked after a connection fails: is the session still there? */
  sessionGone(): Promise<boolean>;
}

/**
 * One terminal's websocket, reconnecting with backoff. Counts blocks as the
 * protocol numbers them (docs/terminals.md), so a reconnect asks only for what
 * it missed and nothing prints twice.
 */
export class TerminalConnection {
  private ws: WebSocket | undefined;
  private last = 0;
  private epoch: string | undefined;
  private replayPending = false;
  private readonly backoff = new Backoff();
  private timer: number | undefined;
  private stopped = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && !this.replayPending;
  }

  start(): void {
    this.connect();
  }

  send(data: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(new TextEncoder().encode(data));
  }

  resize(cols: number, rows: number): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  /** Asks the server to hold (or release) output while the terminal emulator catches up. */
  flow(paused: boolean): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'flow', paused }));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.handlers.onState('ended');
  }

  private connect(): void {
    if (this.stopped) return;
    this.handlers.onState(this.last === 0 && !this.epoch ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.handlers.url({ since: this.last, epoch: this.epoch, ...this.handlers.size() }));
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let attached = false;
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        let parsed;
        try {
          parsed = TerminalServerMessageSchema.safeParse(JSON.parse(event.data));
        } catch {
          return;
        }
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'attached') {
          attached = true;
          if (message.reset) this.handlers.onReset();
          this.last = message.last;
          this.epoch = message.epoch;
          this.replayPending = true;
          if (this.handlers.held()) this.flow(true);
        } else if (message.type === 'error') {
          console.warn('terminal:', message.message);
        }
        return;
      }
      if (this.replayPending) {
        this.replayPending = false;
        this.backoff.reset();
        this.handlers.onState('connected');
      } else this.last += 1;
      this.handlers.onData(new Uint8Array(event.data as ArrayBuffer));
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.stopped) return;
      this.replayPending = false;
      if (event.code === TERMINAL_CLOSE.sessionEnded) {
        this.stopped = true;
        return this.handlers.onState('ended', 'session ended');
      }
      if (event.code === TERMINAL_CLOSE.exited) return this.schedule(0);
      this.handlers.onState('reconnecting');
      if (attached) return this.schedule(this.backoff.next());
      void this.handlers.sessionGone().then((gone) => {
        if (gone) {
          this.stopped = true;
          this.handlers.onState('ended', 'session ended');
        } else this.schedule(this.backoff.next());
      });
    };
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), delay);
  }
}
