import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadConfig({ env: {} });
    expect(config.port).toBe(8080);
    expect(config.limits.maxNodesPerSession).toBe(5);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('reads a YAML file and lets the environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'workshop.yaml');
    writeFileSync(file, 'port: 9000\nlimits:\n  maxSessions: 7\nsessions:\n  idleMinutes: 5\n');
    const config = loadConfig({ file, env: { WORKSHOP_PORT: '9100', WORKSHOP_NODE_MEMORY_MB: '512' } });
    expect(config.port).toBe(9100);
    expect(config.limits.maxSessions).toBe(7);
    expect(config.limits.nodeMemoryMb).toBe(512);
    expect(config.sessions.idleMinutes).toBe(5);
  });

  it('names every bad value in one clear message', () => {
    expect(() => loadConfig({ env: { WORKSHOP_PORT: 'eighty', WORKSHOP_REGISTRY_MIRROR: 'not a url' } })).toThrow(ConfigError);
    try {
      loadConfig({ env: { WORKSHOP_PORT: 'eighty', WORKSHOP_REGISTRY_MIRROR: 'not a url' } });
    } catch (error) {
      expect((error as Error).message).toMatch(/port:/);
      expect((error as Error).message).toMatch(/images.registryMirror:/);
    }
  });

  it('refuses unknown keys in the file and an idle time longer than the maximum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'workshop.yaml');
    writeFileSync(file, 'prot: 9000\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/prot/);
    expect(() => loadConfig({ env: { WORKSHOP_IDLE_MINUTES: '90', WORKSHOP_MAX_MINUTES: '60' } })).toThrow(/idleMinutes/);
  });

  it('reads booleans strictly: YAML off/no/yes are refused, never read as true', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    for (const word of ['off', 'no', 'yes', 'on']) {
      const file = join(dir, `${word}.yaml`);
      writeFileSync(file, `localProvider: ${word}\nnodes:\n  fence: ${word}\n`);
      expect(() => loadConfig({ file, env: {} })).toThrow(/localProvider: write true or false/);
      expect(() => loadConfig({ file, env: {} })).toThrow(/nodes.fence: write true or false/);
    }
    const file = join(dir, 'plain.yaml');
    writeFileSync(file, 'localProvider: false\nnodes:\n  fence: false\n');
    expect(loadConfig({ file, env: {} })).toMatchObject({ localProvider: false, nodes: { fence: false } });
    expect(loadConfig({ env: { WORKSHOP_LOCAL_PROVIDER: '1', WORKSHOP_NODE_FENCE: 'false' } })).toMatchObject({ localProvider: true, nodes: { fence: false } });
    expect(() => loadConfig({ env: { WORKSHOP_LOCAL_PROVIDER: 'off' } })).toThrow(/localProvider/);
  });

  it('fences nodes by default, and reads egress as a boolean or a list of CIDRs', () => {
    expect(loadConfig({ env: {} }).nodes).toEqual({ fence: true, egress: false, hostPorts: [] });
    expect(loadConfig({ env: { WORKSHOP_NODE_EGRESS: 'true' } }).nodes.egress).toBe(true);
    const listed = loadConfig({ env: { WORKSHOP_NODE_EGRESS: '192.168.5.0/24, 10.9.0.1/32', WORKSHOP_NODE_HOST_PORTS: '5000,5001' } });
    expect(listed.nodes).toMatchObject({ egress: ['192.168.5.0/24', '10.9.0.1/32'], hostPorts: [5000, 5001] });
    expect(() => loadConfig({ env: { WORKSHOP_NODE_EGRESS: 'registry.local' } })).toThrow(/nodes.egress/);
    expect(() => loadConfig({ env: { WORKSHOP_NODE_HOST_PORTS: '70000' } })).toThrow(/nodes.hostPorts/);
  });
});
