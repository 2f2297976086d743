import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeName, bridgePrefix, fenceChains, fenceRules, hostResolvers, NodeFence, ownerMark, processEnded, sweepStaleFences, type IptablesRunner } from '../../../server/nodes/node-fence.js';

const POOL = '10.201.0.0/16';

describe('fenceRules', () => {
  it('lets answers and same-bridge traffic through, refuses other sessions and metadata before any egress rule', () => {
    const { forward, input } = fenceRules({ pool: POOL, egress: false, hostPorts: [] });
    const text = forward.map((rule) => rule.join(' '));
    expect(text[0]).toBe('-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN');
    expect(text[1]).toBe(`-d ${POOL} -m physdev --physdev-is-bridged -j RETURN`);
    expect(text[2]).toBe(`-d ${POOL} -j REJECT --reject-with icmp-admin-prohibited`);
    expect(text[3]).toBe('-d 169.254.0.0/16 -j REJECT --reject-with icmp-admin-prohibited');
    expect(text.at(-1)).toBe('-j REJECT --reject-with icmp-admin-prohibited');
    expect(text).toHaveLength(5);
    expect(input.map((rule) => rule.join(' '))).toEqual(['-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN', '-j REJECT --reject-with icmp-admin-prohibited']);
  });

  it('opens listed CIDRs, or everything, after the metadata refusal; host ports only by TCP port', () => {
    const listed = fenceRules({ pool: POOL, egress: ['192.168.5.0/24'], hostPorts: [5000] });
    expect(listed.forward.map((rule) => rule.join(' ')).slice(4)).toEqual(['-d 192.168.5.0/24 -j RETURN', '-j REJECT --reject-with icmp-admin-prohibited']);
    expect(listed.input[1]).toEqual(['-p', 'tcp', '--dport', '5000', '-j', 'RETURN']);
    const open = fenceRules({ pool: POOL, egress: true, hostPorts: [] });
    expect(open.forward.map((rule) => rule.join(' ')).slice(3)).toEqual(['-d 169.254.0.0/16 -j REJECT --reject-with icmp-admin-prohibited', '-j RETURN', '-j REJECT --reject-with icmp-admin-prohibited']);
  });
});

describe('hostResolvers and the DNS rule', () => {
  it("reads the host's IPv4 resolvers, skipping loopback stubs for the next file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'resolv-'));
    writeFileSync(join(dir, 'stub'), 'nameserver 127.0.0.53\n');
    writeFileSync(join(dir, 'upstream'), '# comment\nnameserver 10.0.0.2\nnameserver fd00::1\nnameserver 10.0.0.3\n');
    expect(hostResolvers([join(dir, 'stub'), join(dir, 'upstream')])).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(hostResolvers([join(dir, 'missing')])).toEqual([]);
  });

  it('lets nodes query those resolvers on port 53 only, before the metadata refusal', () => {
    const text = fenceRules({ pool: POOL, egress: false, hostPorts: [], resolvers: ['10.0.0.2'] }).forward.map((rule) => rule.join(' '));
    expect(text.slice(3, 6)).toEqual(['-d 10.0.0.2 -p udp --dport 53 -j RETURN', '-d 10.0.0.2 -p tcp --dport 53 -j RETURN', '-d 169.254.0.0/16 -j REJECT --reject-with icmp-admin-prohibited']);
  });
});

describe('fenceChains', () => {
  it('names chains after the instance, within the 28 characters iptables allows, distinct for long names', () => {
    expect(fenceChains('default')).toEqual({ forward: 'SW-default-FWD', input: 'SW-default-IN' });
    const a = fenceChains('a-very-long-instance-name-number-1');
    const b = fenceChains('a-very-long-instance-name-number-2');
    expect(a.forward.length).toBeLessThanOrEqual(28);
    expect(a.forward).not.toBe(b.forward);
  });
});

describe('bridge names', () => {
  it("name a session network's bridge with the instance's prefix and random digits (never reused), within the 15 characters of an interface", () => {
    const names = Array.from({ length: 50 }, () => bridgeName('default'));
    expect(names.every((name) => name.startsWith(bridgePrefix('default')) && /^sw[0-9a-f]{13}$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(50);
    expect(bridgePrefix('default')).not.toBe(bridgePrefix('test'));
    expect(bridgePrefix('default')).toMatch(/^sw[0-9a-f]{7}$/);
  });
});

describe('NodeFence', () => {
  function recorder(present: Set<string>) {
    const calls: string[] = [];
    const run: IptablesRunner = async (args, stdin) => {
      calls.push(stdin === undefined ? args.join(' ') : `restore ${args.join(' ')}\n${stdin}`);
      if (args[0] === '-C') return { code: present.has(args.slice(1).join(' ')) ? 0 : 1, stdout: '', stderr: '' };
      if (args[0] === '-I') present.add([args[1], ...args.slice(3)].join(' '));
      if (args[0] === '-D') present.delete(args.slice(1).join(' '));
      return { code: 0, stdout: '', stderr: '' };
    };
    return { calls, run };
  }

  it('writes both chains in one restore and adds each jump only when it is missing', async () => {
    const present = new Set<string>();
    const { calls, run } = recorder(present);
    const fence = new NodeFence('t1', { pool: POOL, egress: false, hostPorts: [] }, run);
    await fence.install();
    await fence.install();
    expect(calls.filter((call) => call.startsWith('restore --noflush'))).toHaveLength(2);
    expect(calls[0]).toContain(':SW-t1-FWD - [0:0]');
    const bridges = `${bridgePrefix('t1')}+`;
    expect(calls.filter((call) => call.startsWith('-I '))).toEqual([`-I DOCKER-USER 1 -i ${bridges} -j SW-t1-FWD`, `-I INPUT 1 -i ${bridges} -j SW-t1-IN`]);
    await fence.remove();
    expect(present.size).toBe(0);
    expect(calls.filter((call) => /^-[FX] /.test(call))).toEqual(['-F SW-t1-FWD', '-X SW-t1-FWD', '-F SW-t1-IN', '-X SW-t1-IN']);
  });

  it('fails loudly when iptables refuses, naming the command', async () => {
    const fence = new NodeFence('t1', { pool: POOL, egress: false, hostPorts: [] }, async () => ({ code: 2, stdout: '', stderr: "Couldn't load target `DOCKER-USER'" }));
    await expect(fence.install()).rejects.toThrow(/node fence: iptables --noflush failed: Couldn't load target/);
  });
});

describe('sweepStaleFences', () => {
  /** iptables as far as the sweep reads it: INPUT's jumps and each chain's rules; records what is deleted. */
  function host(chains: Record<string, string>) {
    const deleted: string[] = [];
    const run: IptablesRunner = async (args) => {
      if (args[0] === '-S' && args[1] === 'INPUT') {
        const jumps = Object.keys(chains).filter((chain) => chain.endsWith('-IN') && !deleted.includes(`-X ${chain}`));
        // Jumps of this version match the instance's bridges; 'gone' is of an earlier version (the whole pool).
        const line = (chain: string) => (chain === 'SW-gone-IN' ? `-A INPUT -s ${POOL} -j ${chain}` : `-A INPUT -i ${bridgePrefix(chain.slice(3, -3))}+ -j ${chain}`);
        return { code: 0, stdout: ['-P INPUT ACCEPT', ...jumps.map(line), '-A INPUT -s 10.9.0.0/16 -j SW-vanished-IN', '-A INPUT -i eth0 -j SW-elsewhere-IN'].join('\n'), stderr: '' };
      }
      if (args[0] === '-S') return chains[args[1]] !== undefined ? { code: 0, stdout: chains[args[1]], stderr: '' } : { code: 1, stdout: '', stderr: 'No chain' };
      if (args[0] === '-C') return { code: deleted.includes(`-D ${args.slice(1).join(' ')}`) ? 1 : 0, stdout: '', stderr: '' };
      deleted.push(args.join(' '));
      return { code: 0, stdout: '', stderr: '' };
    };
    return { run, deleted };
  }
  const marked = (instance: string, pid: number) => `-N SW-${instance}-IN\n-A SW-${instance}-IN -m comment --comment ${ownerMark(instance, pid)}\n-A SW-${instance}-IN -j REJECT`;

  it("removes a gone owner's fence, keeps a live owner's and its own, and only reports an unmarked one", async () => {
    const { run, deleted } = host({
      'SW-mine-IN': marked('mine', 1),
      'SW-gone-IN': marked('gone', 41),
      'SW-gone-FWD': '-N SW-gone-FWD',
      'SW-alive-IN': marked('alive', 42),
      'SW-old-IN': '-N SW-old-IN\n-A SW-old-IN -j REJECT',
    });
    const asked: number[] = [];
    const result = await sweepStaleFences(POOL, 'mine', async (owner) => {
      asked.push(owner.pid);
      return owner.instance === 'gone';
    }, run);
    expect(result).toEqual({ removed: ['gone'], unmarked: ['SW-old-IN'] });
    expect(asked.sort()).toEqual([41, 42]);
    const bridges = `${bridgePrefix('gone')}+`;
    expect(deleted).toEqual([
      `-D DOCKER-USER -i ${bridges} -j SW-gone-FWD`,
      `-D INPUT -i ${bridges} -j SW-gone-IN`,
      `-D DOCKER-USER -s ${POOL} -j SW-gone-FWD`,
      `-D INPUT -s ${POOL} -j SW-gone-IN`,
      '-F SW-gone-FWD',
      '-X SW-gone-FWD',
      '-F SW-gone-IN',
      '-X SW-gone-IN',
    ]);
  });

  it('does not trust a mark that names another chain than the one it sits in', async () => {
    const { run, deleted } = host({ 'SW-forged-IN': marked('victim', 7).replace(/SW-victim-IN/g, 'SW-forged-IN') });
    expect(await sweepStaleFences(POOL, 'mine', async () => true, run)).toEqual({ removed: [], unmarked: ['SW-forged-IN'] });
    expect(deleted).toEqual([]);
  });

  it('tells an ended process from a running one', () => {
    expect(processEnded(process.pid)).toBe(false);
    expect(processEnded(2 ** 22 + 17)).toBe(true);
  });
});

describe('the owner mark', () => {
  it('is the first rule of the input chain, so a restarted server rewrites it with its own process id', async () => {
    const restores: string[] = [];
    const run: IptablesRunner = async (args, stdin) => {
      if (stdin !== undefined) restores.push(stdin);
      return { code: 0, stdout: '', stderr: '' };
    };
    await new NodeFence('t1', { pool: POOL, egress: false, hostPorts: [] }, run, 4321).install();
    expect(restores[0].split('\n').find((line) => line.startsWith('-A SW-t1-IN'))).toBe('-A SW-t1-IN -m comment --comment swarm-workshop-owner:t1:4321');
  });
});
