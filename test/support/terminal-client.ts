import WebSocket from 'ws';
import type { TerminalServerMessage } from '../../shared/protocol.js';

const MAX_KEPT = 2 * 1024 * 1024;

/** A scripted terminal websocket client for tests and the bench: follows the block numbering like the browser does. */
export class TerminalClient {
  readonly messages: TerminalServerMessage[] = [];
  /** The most recent output (at most MAX_KEPT characters); `received` counts every byte. */
  output = '';
  received = 0;
  last = 0;
  epoch: string | undefined;
  closed: { code: number; reason: string } | undefined;
  private replayPending = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) {
        if (this.replayPending) this.replayPending = false;
        else this.last += 1;
        this.received += buffer.length;
        this.output += buffer.toString('utf8');
        if (this.output.length > MAX_KEPT) this.output = this.output.slice(-MAX_KEPT / 2);
      } else {
        const message = JSON.parse(buffer.toString('utf8')) as TerminalServerMessage;
        this.messages.push(message);
        if (message.type === 'attached') {
          this.last = message.last;
          this.epoch = message.epoch;
          this.replayPending = true;
        }
      }
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
  }

  /** Opens a terminal; resolves once attached, rejects with the HTTP status when the upgrade is refused. */
  static open(baseUrl: string, session: string, node: string, query: Record<string, string | number | undefined>): Promise<TerminalClient> {
    return TerminalClient.openPath(baseUrl, `/api/sessions/${session}/nodes/${node}/terminal`, query);
  }

  /** Opens any terminal path (the instructor's read-only one takes its credential in a header). */
  static openPath(baseUrl: string, path: string, query: Record<string, string | number | undefined>, headers: Record<string, string> = {}): Promise<TerminalClient> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const url = `${baseUrl.replace(/^http/, 'ws')}${path}?${params}`;
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    const client = new TerminalClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
      client.waitFor(() => client.messages.some((m) => m.type === 'attached') && !client.replayPending, 60_000).then(() => resolve(client), reject);
    });
  }

  type(text: string): void {
    this.ws.send(Buffer.from(text), { binary: true });
  }

  control(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until the condition holds (or the text/regex appears in the output after `from`). */
  waitFor(condition: string | RegExp | (() => boolean), timeoutMs = 20_000, from = 0): Promise<void> {
    let scanned = from;
    const test =
      typeof condition === 'function'
        ? condition
        : typeof condition === 'string'
          ? () => {
              // Scan only what arrived since the last look: floods must not make this quadratic.
              const start = Math.max(0, Math.min(scanned, this.output.length) - condition.length);
              const found = this.output.indexOf(condition, start) >= 0;
              scanned = this.output.length;
              return found;
            }
          : () => condition.test(this.output.slice(from));
    return new Promise((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${String(condition)}; output tail: ${JSON.stringify(this.output.slice(-400))}`));
      }, timeoutMs);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ws.close();
    return this.waitFor(() => this.closed !== undefined, 5000);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
