import { describe, expect, it } from 'vitest';
import { check, loadSnapshot } from './fixtures.js';

// Recorded: web (web:1, 3 replicas on workers, one killed task), agent (global), db (pinned by label), stack shop.
const snapshot = loadSnapshot('swarm-1m2w-services');

describe('service assertions', () => {
  it('passes on the recorded spec, whichever flags produced it', () => {
    const result = check(snapshot, {
      service: 'web', mode: 'replicated', replicas: 3, running: 3, image: 'web:1',
      ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }],
      constraints: ['node.role == worker'],
      update: { parallelism: 2, delay: '10s', order: 'start-first', failure_action: 'rollback', monitor: '10s', max_failure_ratio: 0.25 },
      rollback: { parallelism: 2, order: 'start-first' },
      secrets: [{ source: 'db-password', target: 'db-password' }],
      configs: [{ source: 'web-config', target: '/etc/web/web.conf' }],
      networks: ['app-net'],
      limits: { cpus: '0.5', memory: '100M' },
      reservations: { memory: 33554432 },
      healthcheck: true,
      env: { WEB_MESSAGE: 'hello' },
      endpoint_mode: 'vip',
      labels: { tier: 'front' },
    });
    expect(result.message).not.toContain('expected');
    expect(result.passed).toBe(true);
  });

  it('compares images without the digest or the docker.io prefix', () => {
    expect(check(snapshot, { service: 'web', image: 'docker.io/library/web:1' }).passed).toBe(true);
    expect(check(snapshot, { service: 'web', image: 'web:2' }).message).toBe('service `web`: image is `web:1`, expected `web:2`');
  });

  it('names replica differences exactly', () => {
    expect(check(snapshot, { service: 'web', running: 4 }).message).toBe('service `web`: 3 of 3 replicas running, expected 4');
    expect(check(snapshot, { service: 'web', replicas: 5 }).message).toBe('service `web`: desired replicas is `3`, expected `5`');
    expect(check(snapshot, { service: 'agent', replicas: 3 }).message).toBe('service `agent`: runs in global mode, expected 3 replicas');
    expect(check(snapshot, { service: 'agent', mode: 'global', running: 3 }).passed).toBe(true);
  });

  it('reports existence and absence', () => {
    expect(check(snapshot, { service: 'nope' }).message).toBe('service `nope` does not exist');
    expect(check(snapshot, { service: 'nope', absent: true }).passed).toBe(true);
    expect(check(snapshot, { service: 'web', absent: true }).message).toBe('service `web` still exists, expected it removed');
  });

  it('names near misses in ports, constraints and policies', () => {
    expect(check(snapshot, { service: 'web', ports: [{ target: 80, published: 8081 }] }).message)
      .toBe('service `web`: does not publish `8081:80/tcp ingress` (ports: `8080:80/tcp ingress`)');
    expect(check(snapshot, { service: 'web', constraints: ['node.role==manager'] }).message)
      .toBe('service `web`: lacks placement constraint `node.role==manager` (constraints: `node.role==worker`)');
    expect(check(snapshot, { service: 'web', update: { parallelism: 1, delay: '5s' } }).message)
      .toBe('service `web`: update parallelism is `2`, expected `1`; service `web`: update delay is `10s`, expected `5s`');
    expect(check(snapshot, { service: 'web', update: { order: 'stop-first', failure_action: 'pause' } }).message)
      .toBe('service `web`: update failure action is `rollback`, expected `pause`; service `web`: update order is `start-first`, expected `stop-first`');
  });

  it('applies swarm defaults when a policy was never set', () => {
    expect(check(snapshot, { service: 'shop_api', update: { parallelism: 1, order: 'stop-first', failure_action: 'pause', monitor: '5s', delay: '0s' } }).passed).toBe(true);
  });

  it('checks secrets, configs, networks, resources and env', () => {
    expect(check(snapshot, { service: 'web', secrets: [{ source: 'db-password', target: '/run/secrets/other' }] }).message)
      .toBe('service `web`: secret `db-password` is at `/run/secrets/db-password`, expected `/run/secrets/other`');
    expect(check(snapshot, { service: 'web', secrets: [{ source: 'api-key' }] }).message)
      .toBe('service `web`: has no secret `api-key` attached (secrets: `db-password`)');
    expect(check(snapshot, { service: 'web', networks: ['shop_net'] }).message)
      .toBe('service `web`: is not attached to network `shop_net` (networks: `app-net`)');
    expect(check(snapshot, { service: 'web', limits: { memory: '64M' } }).message).toBe('service `web`: limit memory is `100M`, expected `64M`');
    expect(check(snapshot, { service: 'agent', limits: { cpus: 1 } }).message).toBe('service `agent`: limit cpus are not set, expected `1`');
    expect(check(snapshot, { service: 'web', env: { WEB_MESSAGE: 'bye' } }).message).toBe('service `web`: env `WEB_MESSAGE` is `hello`, expected `bye`');
    expect(check(snapshot, { service: 'agent', healthcheck: true }).message).toBe('service `agent`: has no healthcheck in its spec, expected a healthcheck');
    expect(check(snapshot, { service: 'shop_api', endpoint_mode: 'vip' }).message).toBe('service `shop_api`: endpoint mode is `dnsrr`, expected `vip`');
  });
});

describe('task assertions', () => {
  it('counts tasks by state and node', () => {
    expect(check(snapshot, { tasks: 'web', count: 3, not_on: ['node1'], on_nodes: ['node2', 'node3'] }).passed).toBe(true);
    expect(check(snapshot, { tasks: 'web', state: 'failed', min: 1 }).passed).toBe(true);
    expect(check(snapshot, { tasks: 'agent', on_nodes: ['node1', 'node2', 'node3'], min_nodes: 3 }).passed).toBe(true);
    expect(check(snapshot, { tasks: 'db', on_nodes: ['node3'] }).message).toBe('service `db`: running tasks on `node2`, expected on `node3`');
    expect(check(snapshot, { tasks: 'db', not_on: ['node2'] }).message).toBe('service `db`: 1 running task on `node2`, expected none there');
    expect(check(snapshot, { tasks: 'web', node: 'node1', min: 1 }).message).toBe('service `web`: 0 running tasks on `node1`, expected at least 1');
  });

  it('sees the history kept per slot', () => {
    expect(check(snapshot, { tasks: 'web', per_slot: { min: 2, max: 5 } }).passed).toBe(true);
    expect(check(snapshot, { tasks: 'db', per_slot: { min: 2 } }).message).toBe('service `db`: at most 1 task kept in any slot, expected a slot with at least 2');
  });
});
