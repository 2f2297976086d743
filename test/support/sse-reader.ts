/** Reads a server-sent events stream in a test, collecting the JSON messages as they arrive. */
export class SseReader<T = unknown> {
  readonly messages: T[] = [];
  private readonly controller = new AbortController();
  private done: Promise<void> = Promise.resolve();

  async open(url: string, headers: Record<string, string> = {}): Promise<this> {
    const res = await fetch(url, { headers, signal: this.controller.signal });
    if (!res.ok || !res.body) throw new Error(`stream ${url}: ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data) this.messages.push(JSON.parse(data) as T);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
    return this;
  }

  /** Waits until a message matching the predicate has arrived. */
  async waitFor(predicate: (message: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
