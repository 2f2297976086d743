import { describe, expect, it } from 'vitest';
import { isSecretProbe } from '../../../server/checks/probe-plan.js';
import { check, loadSnapshot } from './fixtures.js';

const swarm = loadSnapshot('swarm-1m2w-services');
const secretProbe = { service: 'web', file: '/run/secrets/db-password' };

/** Everything a check result keeps (and the dashboard, the exports and the store see). */
const kept = (raw: Record<string, unknown>) => JSON.stringify(check(swarm, raw));

describe('probes of secrets', () => {
  it('knows a probe that reads a secret', () => {
    expect(isSecretProbe(secretProbe)).toBe(true);
    expect(isSecretProbe({ service: 'web', command: 'cat /run/secrets/api-key' })).toBe(true);
    expect(isSecretProbe({ service: 'web', file: '/etc/web/web.conf' })).toBe(false);
  });

  it('keeps whether the value matched, never the value read', () => {
    const passed = check(swarm, { probe: secretProbe, equals: 's3cr3t' });
    expect(passed.passed).toBe(true);
    expect(kept({ probe: secretProbe, equals: 's3cr3t' })).not.toContain('s3cr3t');
    const failed = check(swarm, { probe: secretProbe, equals: 'other-value' });
    expect(failed.passed).toBe(false);
    expect(failed.message).toBe('file `/run/secrets/db-password` in service `web`: output is not the expected value');
    expect(kept({ probe: secretProbe, equals: 'other-value' })).not.toMatch(/s3cr3t|other-value/);
    expect(kept({ probe: secretProbe, contains: 'nope', matches: '^x' })).not.toContain('s3cr3t');
    expect(kept({ probe: secretProbe, exit_code: 3 })).not.toContain('s3cr3t');
  });

  it('still shows what other probes answered', () => {
    expect(check(swarm, { probe: { service: 'web', url: 'http://127.0.0.1/' }, contains: 'web version 2' }).message).toContain('web version 1');
  });
});
