import { describe, expect, it } from 'vitest';
import { PauseVotes, Watermark } from '../../../server/terminals/watermark.js';

describe('Watermark', () => {
  it('pauses above the high mark and resumes only below the low mark', () => {
    const mark = new Watermark(100, 10);
    expect(mark.update(50)).toBeNull();
    expect(mark.update(101)).toBe('pause');
    expect(mark.isCongested).toBe(true);
    expect(mark.update(500)).toBeNull();
    expect(mark.update(50)).toBeNull();
    expect(mark.update(9)).toBe('resume');
    expect(mark.update(50)).toBeNull();
  });

  it('refuses a low mark that is not below the high mark', () => {
    expect(() => new Watermark(10, 10)).toThrow(RangeError);
  });
});

describe('PauseVotes', () => {
  it('runs the source while no sink holds it paused', () => {
    const votes = new PauseVotes<string>();
    expect(votes.running).toBe(true);
    expect(votes.set('a', true)).toBe('pause');
    expect(votes.set('b', true)).toBeNull();
    expect(votes.set('a', false)).toBeNull();
    expect(votes.forget('b')).toBe('resume');
    expect(votes.forget('b')).toBeNull();
  });
});
