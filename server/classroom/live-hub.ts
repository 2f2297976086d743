import type { Response } from 'express';

/**
 * Server-sent events by channel (`event:<id>` for a dashboard, `session:<id>` for a learner's workspace).
 * Publishing is fire-and-forget; a slow or gone client never holds up the others.
 */
export class LiveHub {
  private readonly channels = new Map<string, Set<Response>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 25_000) {
    // Proxies close idle connections; a comment line every so often keeps them open.
    this.heartbeat = setInterval(() => {
      for (const clients of this.channels.values()) for (const res of clients) res.write(': keep-alive\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Turns a response into a stream on a channel; `first` is sent before anything else. */
  subscribe(channel: string, res: Response, first?: unknown): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    if (first !== undefined) res.write(`data: ${JSON.stringify(first)}\n\n`);
    const clients = this.channels.get(channel) ?? new Set<Response>();
    clients.add(res);
    this.channels.set(channel, clients);
    res.on('close', () => {
      clients.delete(res);
      if (clients.size === 0) this.channels.delete(channel);
    });
  }

  publish(channel: string, message: unknown): void {
    const clients = this.channels.get(channel);
    if (!clients) return;
    const frame = `data: ${JSON.stringify(message)}\n\n`;
    for (const res of clients) res.write(frame);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const clients of this.channels.values()) for (const res of clients) res.end();
    this.channels.clear();
  }
}
