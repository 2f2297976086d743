import { describe, expect, it } from 'vitest';
import { BlockBuffer } from '../../../server/terminals/block-buffer.js';

const b = (text: string) => Buffer.from(text);

describe('BlockBuffer', () => {
  it('numbers blocks from 1 and replays what came after a given block', () => {
    const buffer = new BlockBuffer(100);
    expect(buffer.append(b('a'))).toBe(1);
    expect(buffer.append(b('b'))).toBe(2);
    expect(buffer.append(b('c'))).toBe(3);
    expect(buffer.since(1)).toEqual({ data: b('bc'), last: 3, truncated: false });
    expect(buffer.since(0).data.toString()).toBe('abc');
  });

  it('replays nothing to a client that is up to date', () => {
    const buffer = new BlockBuffer(100);
    buffer.append(b('abc'));
    expect(buffer.since(1)).toEqual({ data: Buffer.alloc(0), last: 1, truncated: false });
    expect(new BlockBuffer(10).since(0)).toEqual({ data: Buffer.alloc(0), last: 0, truncated: false });
  });

  it('drops the oldest blocks past its capacity and says so to a client that missed them', () => {
    const buffer = new BlockBuffer(10);
    for (const part of ['aaaa', 'bbbb', 'cccc', 'dddd']) buffer.append(b(part));
    expect(buffer.size).toBeLessThanOrEqual(10);
    expect(buffer.since(0)).toEqual({ data: b('ccccdddd'), last: 4, truncated: true });
    expect(buffer.since(2)).toEqual({ data: b('ccccdddd'), last: 4, truncated: false });
    expect(buffer.since(3)).toEqual({ data: b('dddd'), last: 4, truncated: false });
  });

  it('keeps only the tail of a block larger than the whole buffer', () => {
    const buffer = new BlockBuffer(4);
    buffer.append(b('xy'));
    buffer.append(b('0123456789'));
    expect(buffer.since(0).data.toString()).toBe('6789');
    expect(buffer.size).toBe(4);
  });

  it('treats a block number from the future (another history) as truncated and replays everything', () => {
    const buffer = new BlockBuffer(100);
    buffer.append(b('new'));
    expect(buffer.since(50)).toEqual({ data: b('new'), last: 1, truncated: true });
  });
});
