/**
 * scripts/prepare-host.sh removes NAT rules left by Docker networks that are gone. Such a rule masquerades traffic
 * between two nodes of any newer network on the same subnet, so a swarm records its workers at the gateway's address
 * (the grade command then reads a worker's engine at the wrong address). Rules of live bridges stay.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
// A documentation subnet (RFC 5737) on a bridge that does not exist: nothing on this machine routes it.
const STALE = ['POSTROUTING', '-s', '198.51.100.0/24', '!', '-o', 'swgone0', '-j', 'MASQUERADE'];
const natRules = async () => (await run('iptables', ['-t', 'nat', '-S', 'POSTROUTING'])).stdout;

afterAll(async () => {
  await run('iptables', ['-t', 'nat', '-D', ...STALE]).catch(() => undefined);
});

describe('prepare-host', () => {
  it('removes a stale masquerade rule of a removed network and keeps the rules of live bridges', async () => {
    const before = await natRules();
    const live = before.split('\n').filter((line) => / -j MASQUERADE$/.test(line));
    await run('iptables', ['-t', 'nat', '-A', ...STALE]);
    expect(await natRules()).toContain('-s 198.51.100.0/24 ! -o swgone0 -j MASQUERADE');

    const { stdout } = await run('bash', ['scripts/prepare-host.sh'], { maxBuffer: 4 * 1024 * 1024 });
    expect(stdout).toContain('removing a stale NAT rule');
    const after = await natRules();
    expect(after).not.toContain('198.51.100.0/24');
    for (const rule of live) expect(after).toContain(rule);
  }, 60_000);
});
