import { describe, expect, it } from 'vitest';
import { DebootstrapOutput, dockerBuildStep } from '../../../server/images/build-output.js';

describe('DebootstrapOutput', () => {
  it('counts packages while retrieving, then reports installing against a known total that only grows', () => {
    const output = new DebootstrapOutput();
    expect(output.read('I: Validating Packages ')).toEqual({ done: 0, detail: 'resolving packages' });
    for (const name of ['bash', 'coreutils', 'dpkg']) output.read(`I: Validating ${name} 1.0`);
    expect(output.read('I: Retrieving tar 1.0')).toEqual({ done: 0, detail: 'retrieving 4 packages' });
    const seen: Array<{ done: number; total?: number }> = [];
    for (const line of ['I: Extracting bash...', 'I: Extracting dpkg...', 'I: Unpacking bash...', 'I: Unpacking coreutils...', 'I: Unpacking dpkg...', 'I: Unpacking tar...', 'I: Configuring bash...', 'I: Configuring coreutils...', 'I: Configuring dpkg...', 'I: Configuring tar...']) {
      seen.push(output.read(line));
    }
    expect(seen.at(-1)).toMatchObject({ done: 10, total: 10 });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].done).toBeGreaterThan(seen[i - 1].done);
      expect(seen[i].done / seen[i].total!).toBeGreaterThanOrEqual(seen[i - 1].done / seen[i - 1].total!);
    }
  });

  it('ignores lines that are not about packages', () => {
    const output = new DebootstrapOutput();
    expect(output.read('I: Checking Release signature').detail).toBe('resolving packages');
    expect(output.read('W: something odd').total).toBeUndefined();
  });
});

describe('dockerBuildStep', () => {
  it('reads the step under way and the number of steps', () => {
    expect(dockerBuildStep('Step 3/12 : COPY entrypoint.sh /usr/local/bin/node-entrypoint')).toEqual({ done: 2, total: 12, detail: 'COPY entrypoint.sh /usr/' });
    expect(dockerBuildStep(' ---> Running in 1234')).toBeUndefined();
  });
});
