import { describe, expect, it } from 'vitest';
import { constraintKey, parseConstraint } from '../../../server/checks/assertions/constraints.js';
import { parsePort } from '../../../server/checks/assertions/ports.js';
import { formatFileMode, parseCpus, parseDuration, parseFileMode, parseMemory } from '../../../server/checks/units.js';

describe('units read as the CLI and compose read them', () => {
  it('reads every spelling of a memory size as one number of bytes', () => {
    for (const size of ['512M', '512m', '512MB', '512MiB', '512 mib', '0.5G', 536870912]) expect(parseMemory(size)).toBe(536870912);
    expect(parseMemory('1k')).toBe(1024);
    expect(parseMemory('lots')).toBeNaN();
  });

  it('reads durations in any unit, and numbers as the nanoseconds the engine stores', () => {
    for (const duration of ['1m', '60s', '60000ms', '1m0s', 60e9]) expect(parseDuration(duration)).toBe(60e9);
    expect(parseDuration('1.5s')).toBe(1.5e9);
    expect(parseDuration('250us')).toBe(250e3);
    expect(parseDuration('0')).toBe(0);
  });

  it('reads CPUs as NanoCPUs and file modes in octal', () => {
    expect(parseCpus('0.5')).toBe(500000000);
    expect(parseCpus(0.25)).toBe(250000000);
    for (const mode of ['0440', '440', '0o440', 288]) expect(parseFileMode(mode)).toBe(0o440);
    expect(parseFileMode('0999')).toBeNaN();
    expect(formatFileMode(292)).toBe('0444');
  });
});

describe('placement constraints by meaning', () => {
  it('parses field, operator and value whatever the spacing, quoting and case', () => {
    expect(parseConstraint('node.role==manager')).toEqual({ field: 'node.role', operator: '==', value: 'manager' });
    expect(parseConstraint('  Node.Role  ==  "Manager" ')).toEqual({ field: 'node.role', operator: '==', value: 'manager' });
    expect(parseConstraint("'node.labels.Disk != ssd'")).toEqual({ field: 'node.labels.Disk', operator: '!=', value: 'ssd' });
    expect(parseConstraint('node.labels.disk')).toBeUndefined();
  });

  it('turns `!=` on a two-valued field into `==` on the other value', () => {
    expect(constraintKey('node.role != worker')).toBe(constraintKey('node.role==manager'));
    expect(constraintKey('node.role!=manager')).toBe(constraintKey('node.role == worker'));
    expect(constraintKey('node.labels.zone != a')).not.toBe(constraintKey('node.labels.zone == b'));
  });

  it('keeps label names case-sensitive, as swarmkit does, and engine labels apart from node labels', () => {
    expect(constraintKey('NODE.LABELS.disk==ssd')).toBe(constraintKey('node.labels.disk == ssd'));
    expect(constraintKey('node.labels.Disk==ssd')).not.toBe(constraintKey('node.labels.disk==ssd'));
    expect(constraintKey('engine.labels.disk==ssd')).not.toBe(constraintKey('node.labels.disk==ssd'));
    expect(constraintKey('node.platform.OS == Linux')).toBe(constraintKey('node.platform.os==linux'));
  });
});

describe('port syntaxes', () => {
  it('reads the short, long and compose forms with the CLI defaults', () => {
    const expected = { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' };
    expect(parsePort('8080:80')).toEqual(expected);
    expect(parsePort('published=8080,target=80')).toEqual(expected);
    expect(parsePort('target=80, published=8080, protocol=tcp, mode=ingress')).toEqual(expected);
    expect(parsePort({ target: 80, published: '8080' })).toEqual(expected);
    expect(parsePort('8080:80/UDP')).toEqual({ ...expected, protocol: 'udp' });
    expect(parsePort('80')).toEqual({ target: 80, protocol: 'tcp', mode: 'ingress' });
    expect(parsePort('published=8080,target=80,mode=host')).toEqual({ ...expected, mode: 'host' });
    expect(parsePort('8080:80/quic')).toBeUndefined();
    expect(parsePort('published=8080,dst=80')).toBeUndefined();
  });
});
