import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { dockerOptions } from '../../../server/fleet/engine-address.js';

describe('engines in the config', () => {
  it('is empty by default: the one engine of DOCKER_HOST or the socket, as before', () => {
    const config = loadConfig({ env: {} });
    expect(config.engines).toEqual([]);
    expect(config.fleet).toEqual({ pingSeconds: 5, pingTimeoutSeconds: 3, failuresBeforeDown: 3 });
  });

  it('reads engines with addresses, TLS and limits from the YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'workshop.yaml');
    writeFileSync(file, ['engines:', '  - name: here', '    address: local', '  - name: host2', '    address: tcp://10.0.0.2:2376', '    tls: { ca: /c/ca.pem, cert: /c/cert.pem, key: /c/key.pem }', '    limits: { nodes: 60, memoryMb: 24000 }', '  - name: host3', '    address: ssh://workshop@10.0.0.3'].join('\n'));
    const config = loadConfig({ file, env: {} });
    expect(config.engines.map((e) => [e.name, e.address, e.limits])).toEqual([
      ['here', 'local', {}],
      ['host2', 'tcp://10.0.0.2:2376', { nodes: 60, memoryMb: 24000 }],
      ['host3', 'ssh://workshop@10.0.0.3', {}],
    ]);
  });

  it('refuses a bad address, a name used twice and TLS certificates on a non-TCP address', () => {
    expect(() => loadConfig({ overrides: { engines: [{ name: 'a', address: 'http://x' }] } })).toThrow(/engines\.0\.address: local, unix:\/\/\/path, tcp:\/\/host:port or ssh:\/\/user@host/);
    expect(() => loadConfig({ overrides: { engines: [{ name: 'a', address: 'local' }, { name: 'a', address: 'tcp://b:2375' }] } })).toThrow(new ConfigError('invalid configuration:\n  engines: the name a is used twice'));
    expect(() => loadConfig({ overrides: { engines: [{ name: 'a', address: 'ssh://u@h', tls: { ca: 'x', cert: 'y', key: 'z' } }] } })).toThrow(/TLS certificates go with a tcp:\/\/ address/);
  });
});

describe('dockerOptions', () => {
  const files: Record<string, string> = { '/c/ca.pem': 'CA', '/c/cert.pem': 'CERT', '/c/key.pem': 'KEY' };
  const read = (path: string) => {
    if (!(path in files)) throw new Error('ENOENT');
    return Buffer.from(files[path]);
  };

  it('leaves a local engine to dockerode and maps the other addresses', () => {
    expect(dockerOptions({ name: 'a', address: 'local' })).toBeUndefined();
    expect(dockerOptions({ name: 'a', address: 'unix:///run/other.sock' })).toEqual({ socketPath: '/run/other.sock' });
    expect(dockerOptions({ name: 'a', address: 'tcp://10.0.0.2' })).toEqual({ protocol: 'http', host: '10.0.0.2', port: 2375 });
    expect(dockerOptions({ name: 'a', address: 'ssh://workshop@10.0.0.3:2222' })).toMatchObject({ protocol: 'ssh', host: '10.0.0.3', port: 2222, username: 'workshop' });
    const tls = dockerOptions({ name: 'a', address: 'tcp://10.0.0.2', tls: { ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' } }, read);
    expect(tls).toMatchObject({ protocol: 'https', host: '10.0.0.2', port: 2376 });
    expect(String(tls?.ca)).toBe('CA');
  });

  it('names the engine and the file it cannot read', () => {
    expect(() => dockerOptions({ name: 'host2', address: 'tcp://h:2376', tls: { ca: '/c/ca.pem', cert: '/c/missing.pem', key: '/c/key.pem' } }, read)).toThrow('engine host2: cannot read its TLS certificate /c/missing.pem (ENOENT)');
  });
});
