import { describe, expect, it } from 'vitest';
import { check, loadRaw, loadSnapshot } from './fixtures.js';
import { snapshotFromRaw } from '../../../server/checks/snapshot.js';

const swarm = loadSnapshot('swarm-1m2w-services');
const down = loadSnapshot('swarm-1m2w-node3-down');
const inactive = loadSnapshot('single-inactive');

describe('swarm, leader and node assertions', () => {
  it('reads each node\'s own swarm state', () => {
    expect(check(swarm, { swarm: 'node1', state: 'active', manager: true, leader: true }).passed).toBe(true);
    expect(check(swarm, { swarm: 'node2', state: 'active', manager: false }).passed).toBe(true);
    expect(check(swarm, { swarm: 'node2', manager: true }).message).toBe('node `node2` is not a manager, expected a manager');
    expect(check(inactive, { swarm: 'node1', state: 'active' }).message).toBe('node `node1` swarm state is `inactive`, expected `active`');
    expect(check(inactive, { swarm: 'node1', state: 'inactive' }).passed).toBe(true);
  });

  it('names the leader', () => {
    expect(check(swarm, { leader: 'node1' }).passed).toBe(true);
    expect(check(swarm, { leader: 'node2' }).message).toBe('the leader is `node1`, expected `node2`');
    expect(check(swarm, { leader: { not: 'node1' } }).message).toBe('the leader is still `node1`, expected another manager');
    expect(check(swarm, { swarm: 'node2', leader: true }).message).toBe('node `node2` is not the leader (leader: `node1`), expected it to be the leader');
  });

  it('counts nodes by role, availability and state', () => {
    expect(check(swarm, { nodes: { role: 'worker', state: 'ready' }, count: 2 }).passed).toBe(true);
    expect(check(down, { nodes: { state: 'ready' }, count: 3 }).message).toBe('2 ready nodes (`node1`, `node2`), expected 3');
    expect(check(down, { nodes: { state: 'down' }, count: 1 }).passed).toBe(true);
    expect(check(swarm, { nodes: { role: 'manager', reachability: 'reachable' }, min: 1 }).passed).toBe(true);
  });

  it('checks one node\'s availability, role, state and labels', () => {
    expect(check(swarm, { node: 'node2', role: 'worker', availability: 'active', state: 'ready', labels: { storage: 'ssd' } }).passed).toBe(true);
    expect(check(swarm, { node: 'node2', availability: 'drain' }).message).toBe('node `node2` availability is `active`, expected `drain`');
    expect(check(swarm, { node: 'node2', labels: { storage: 'raid' } }).message).toBe('node `node2` label `storage` is `ssd`, expected `raid`');
    expect(check(swarm, { node: 'node3', labels: { storage: 'ssd' } }).message).toBe('node `node3` has no label `storage`, expected `ssd`');
    expect(check(down, { node: 'node3', state: 'ready' }).message).toBe('node `node3` state is `down`, expected `ready`');
    expect(check(down, { node: 'node3', absent: true }).message).toBe('node `node3` is still in the swarm (state `down`), expected it removed');
    expect(check(swarm, { node: 'node4', absent: true }).passed).toBe(true);
  });

  it('reads swarm-wide settings', () => {
    expect(check(swarm, { cluster: true, task_history_limit: 5 }).passed).toBe(true);
    expect(check(swarm, { cluster: true, task_history_limit: 10 }).message).toBe('swarm task history limit is `5`, expected `10`');
  });
});

describe('unreachable nodes and missing managers', () => {
  it('fails checks about a down node with a clear message, never an exception', () => {
    const result = check(down, { swarm: 'node3', state: 'active' });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^node `node3` cannot be read: /);
    expect(check(down, { volume: 'x', node: 'node3' }).message).toMatch(/^node `node3` cannot be read: /);
  });

  it('still reads the swarm from the manager when a worker is down', () => {
    expect(check(down, { service: 'agent', mode: 'global' }).passed).toBe(true);
  });

  it('explains when no manager answers', () => {
    expect(check(inactive, { service: 'web' }).message).toBe('no node is a swarm manager, so the swarm cannot be read');
    const raw = loadRaw('swarm-1m2w-services');
    const lost = { ...raw, nodes: { ...raw.nodes, node1: { ...raw.nodes.node1, nodes: { message: 'rpc error: code = Unknown desc = The swarm does not have a leader.' } } } };
    expect(check(snapshotFromRaw(lost), { leader: 'node1' }).message)
      .toBe('the manager on `node1` could not list the swarm: rpc error: code = Unknown desc = The swarm does not have a leader.');
    const unreachable = { nodes: { node1: { unreachable: 'node `node1` is unreachable: connection refused' } } };
    expect(check(snapshotFromRaw(unreachable), { swarm: 'node1', state: 'active' }).message).toBe('node `node1` cannot be read: node `node1` is unreachable: connection refused');
    expect(check(snapshotFromRaw(unreachable), { nodes: {}, count: 1 }).message).toBe('no node could be read');
  });
});

describe('stacks, networks, volumes, secrets and configs', () => {
  it('finds a stack by its namespace label', () => {
    expect(check(swarm, { stack: 'shop', services: 1 }).passed).toBe(true);
    expect(check(swarm, { stack: 'shop', services: 2 }).message).toBe('stack `shop` has 1 service, expected 2');
    expect(check(swarm, { stack: 'todo' }).message).toBe('stack `todo` does not exist');
    expect(check(swarm, { stack: 'shop', absent: true }).message).toBe('stack `shop` still exists, expected it removed');
  });

  it('checks networks', () => {
    expect(check(swarm, { network: 'app-net', driver: 'overlay', attachable: true, scope: 'swarm', labels: { purpose: 'demo' } }).passed).toBe(true);
    expect(check(swarm, { network: 'shop_net', attachable: true }).message).toBe('network `shop_net` attachable is `false`, expected `true`');
    expect(check(swarm, { network: 'ingress', driver: 'bridge' }).message).toBe('network `ingress` driver is `overlay`, expected `bridge`');
    expect(check(swarm, { network: 'nope' }).message).toBe('network `nope` does not exist');
  });

  it('checks volumes on a node or anywhere', () => {
    expect(check(swarm, { volume: 'db-data', node: 'node2', labels: { kind: 'data' } }).passed).toBe(true);
    expect(check(swarm, { volume: 'db-data' }).message).toBe('volume `db-data` exists on `node2`');
    expect(check(swarm, { volume: 'db-data', node: 'node3' }).message).toBe('volume `db-data` does not exist on `node3` (found on: `node2`)');
    expect(check(swarm, { volume: 'db-data', node: 'node3', absent: true }).passed).toBe(true);
  });

  it('checks secrets and configs by name and labels, never a value', () => {
    expect(check(swarm, { secret: 'db-password' }).passed).toBe(true);
    expect(check(swarm, { secret: 'api-key' }).message).toBe('secret `api-key` does not exist');
    expect(check(swarm, { config: 'web-config', labels: { team: 'web' } }).passed).toBe(true);
    expect(check(swarm, { config: 'web-config', labels: { team: 'db' } }).message).toBe('config `web-config` label `team` is `web`, expected `db`');
  });
});

describe('probes and custom checks', () => {
  it('matches what a container or node answers', () => {
    expect(check(swarm, { probe: { service: 'web', file: '/run/secrets/db-password' }, equals: 's3cr3t' }).passed).toBe(true);
    expect(check(swarm, { probe: { service: 'web', url: 'http://127.0.0.1/' }, contains: 'web version 1', matches: 'served by [0-9a-f]{12}' }).passed).toBe(true);
    expect(check(swarm, { probe: { service: 'web', url: 'http://127.0.0.1/' }, contains: 'web version 2' }).message)
      .toMatch(/^`http:\/\/127.0.0.1\/` in service `web`: output does not contain `web version 2` \(exit 0, output: `web version 1 served by/);
    expect(check(swarm, { probe: { service: 'web', command: 'cat /etc/web/web.conf' }, not_contains: 'a=1' }).message)
      .toBe('command `cat /etc/web/web.conf` in service `web`: output contains `a=1`, expected it not to');
    expect(check(swarm, { probe: { node: 'node2', command: 'exit 3' } }).message).toBe('command `exit 3` on `node2`: exits with 3, expected 0 (output: ``)');
    expect(check(swarm, { probe: { service: 'db', node: 'node1', file: '/data/started' }, contains: ':' }).message)
      .toBe('file `/data/started` in service `db` on `node1`: no running container of service `db` on `node1`');
    expect(check(swarm, { probe: { node: 'node3', command: 'true' } }).message).toBe('command `true` on `node3`: the probe was not collected');
  });

  it('runs allow-listed custom checks only', () => {
    expect(check(swarm, { custom: 'replicas-balanced', args: { service: 'agent', max_difference: 0 } }).passed).toBe(true);
    expect(check(swarm, { custom: 'replicas-balanced', args: { service: 'web', max_difference: 0 } }).message)
      .toMatch(/^service `web`: replicas spread node1=0, node2=1, node3=2, expected at most 0 apart$/);
    expect(check(swarm, { custom: 'rm-rf' }).message).toBe('unknown custom check `rm-rf`');
  });
});
