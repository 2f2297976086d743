import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { jsonProgress } from '../../../server/startup/progress.js';

describe('jsonProgress', () => {
  it('writes a note through the logger at its level, with one level key per line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const log = pino({ base: undefined }, sink);
    const progress = jsonProgress((record, level) => log[level](record));
    progress.note('the image recipe changed: rebuilding', 'warn');
    progress.note('lesson images are current');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.match(/"level"/g)).toHaveLength(1);
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { level: 40, msg: 'the image recipe changed: rebuilding' },
      { level: 30, msg: 'lesson images are current' },
    ]);
  });

  it('reports a phase at most once per tenth of its progress, and its time when done', () => {
    const records: Record<string, unknown>[] = [];
    const phase = jsonProgress((record) => records.push(record)).phase('packages');
    for (let done = 0; done <= 200; done++) phase.update(done, 200);
    phase.end('200 packages');
    expect(records.filter((record) => record.state === 'progress')).toHaveLength(11);
    expect(records.at(-1)).toMatchObject({ phase: 'packages', state: 'done', summary: '200 packages' });
    expect(typeof records.at(-1)!.seconds).toBe('number');
  });
});
