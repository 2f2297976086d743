import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveHub } from '../../../server/classroom/live-hub.js';

/** The part of a response the hub uses: head, writes, end and `close`, recorded. */
class RecordedResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  written = '';
  ended = false;

  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }

  write(chunk: string) {
    this.written += chunk;
    return true;
  }

  end() {
    this.ended = true;
    this.emit('close');
    return this;
  }

  /** The data lines sent, parsed. */
  messages(): unknown[] {
    return [...this.written.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1]));
  }
}

const asResponse = (res: RecordedResponse) => res as unknown as Response;

describe('LiveHub', () => {
  let hub: LiveHub;
  beforeEach(() => {
    vi.useFakeTimers();
    hub = new LiveHub(1000);
  });
  afterEach(() => {
    hub.close();
    vi.useRealTimers();
  });

  it('turns a response into an event stream and sends the first message before any other', () => {
    const res = new RecordedResponse();
    hub.subscribe('event:e1', asResponse(res), { type: 'snapshot' });
    hub.publish('event:e1', { type: 'learner', id: 'ada' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.written.startsWith('retry: 2000\n\n')).toBe(true);
    expect(res.messages()).toEqual([{ type: 'snapshot' }, { type: 'learner', id: 'ada' }]);
  });

  it('publishes to the subscribers of one channel only, and not to one that went away', () => {
    const [a, b, other] = [new RecordedResponse(), new RecordedResponse(), new RecordedResponse()];
    hub.subscribe('session:s1', asResponse(a));
    hub.subscribe('session:s1', asResponse(b));
    hub.subscribe('session:s2', asResponse(other));
    hub.publish('session:s1', { type: 'message', text: 'hello' });
    b.emit('close');
    hub.publish('session:s1', { type: 'session-ended' });
    hub.publish('session:nobody', { type: 'session-ended' });
    expect(a.messages()).toEqual([{ type: 'message', text: 'hello' }, { type: 'session-ended' }]);
    expect(b.messages()).toEqual([{ type: 'message', text: 'hello' }]);
    expect(other.messages()).toEqual([]);
  });

  it('keeps idle streams open with a comment line every heartbeat, and ends them all on close', () => {
    const res = new RecordedResponse();
    hub.subscribe('event:e1', asResponse(res));
    vi.advanceTimersByTime(2500);
    expect(res.written.match(/^: keep-alive$/gm)).toHaveLength(2);
    hub.close();
    expect(res.ended).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(res.written.match(/^: keep-alive$/gm)).toHaveLength(2);
  });
});
