import { describe, expect, it } from 'vitest';
import { parseControlFrame } from '../../../server/terminals/control-frame.js';

describe('parseControlFrame', () => {
  it('accepts a resize within bounds and a ping', () => {
    expect(parseControlFrame('{"type":"resize","cols":120,"rows":40}')).toEqual({ ok: true, message: { type: 'resize', cols: 120, rows: 40 } });
    expect(parseControlFrame('{"type":"ping","id":7}')).toEqual({ ok: true, message: { type: 'ping', id: 7 } });
    expect(parseControlFrame('{"type":"flow","paused":true}')).toEqual({ ok: true, message: { type: 'flow', paused: true } });
  });

  it.each([
    ['not json', 'JSON'],
    ['[]', 'invalid control message'],
    ['{"type":"resize","cols":0,"rows":10}', 'cols'],
    ['{"type":"resize","cols":80,"rows":501}', 'rows'],
    ['{"type":"resize","cols":80.5,"rows":24}', 'cols'],
    ['{"type":"resize","cols":"80","rows":24}', 'cols'],
    ['{"type":"resize","cols":80,"rows":24,"extra":1}', 'invalid control message'],
    ['{"type":"exec","command":"rm -rf /"}', 'invalid control message'],
    ['null', 'invalid control message'],
    ['{"type":"flow","paused":"yes"}', 'paused'],
  ])('refuses %s with a reason', (text, reason) => {
    const result = parseControlFrame(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('refuses an oversized frame before parsing it', () => {
    const result = parseControlFrame(`{"type":"ping","pad":"${'x'.repeat(5000)}"}`);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('at most') });
  });
});
