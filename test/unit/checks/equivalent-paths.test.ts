import { describe, expect, it } from 'vitest';
import { check, loadSnapshot, serviceNamed, variant } from './fixtures.js';

// Recorded: web (web:1, 3 replicas, node.role==worker, 8080:80, secret db-password, limits 0.5 CPU / 100M), db
// (node.labels.storage==ssd), agent (global), shop_api (stack shop, dnsrr).
const FIXTURE = 'swarm-1m2w-services';
const recorded = loadSnapshot(FIXTURE);

describe('every correct path passes', () => {
  it('accepts constraints written with other spacing, quotes, case, order or the other role value', () => {
    for (const constraint of ['node.role==worker', 'node.role == worker', 'node.role != manager', 'node.role=="worker"', 'Node.Role == Worker']) {
      expect(check(recorded, { service: 'web', constraints: [constraint] }), constraint).toMatchObject({ passed: true });
    }
    const twoConstraints = variant(FIXTURE, (m) => {
      serviceNamed(m, 'db').Spec.TaskTemplate!.Placement = { Constraints: ['node.role != manager', 'node.labels.storage == ssd'] };
    });
    expect(check(twoConstraints, { service: 'db', constraints: ['node.labels.storage==ssd', 'node.role==worker'] }).passed).toBe(true);
  });

  it('names a near-miss constraint with both lists', () => {
    const result = check(recorded, { service: 'web', constraints: ['node.role == manager'] });
    expect(result.passed).toBe(false);
    expect(result.differences).toEqual([{ expected: 'node.role == manager', actual: 'node.role==worker',
      message: 'service `web`: lacks placement constraint `node.role == manager` (constraints: `node.role==worker`)',
      key: 'service.lacksConstraint', params: { service: 'web', constraint: 'node.role == manager', constraints: ['node.role==worker'] } }]);
    expect(check(recorded, { service: 'db', constraints: ['node.labels.storage==hdd'] }).message)
      .toBe('service `db`: lacks placement constraint `node.labels.storage==hdd` (constraints: `node.labels.storage==ssd`)');
  });

  it('accepts memory, CPU and durations in any unit', () => {
    for (const memory of ['100M', '100m', '100MiB', '100MB', 104857600]) {
      expect(check(recorded, { service: 'web', limits: { memory, cpus: 0.5 } }), String(memory)).toMatchObject({ passed: true });
    }
    expect(check(recorded, { service: 'web', limits: { cpus: '0.50' }, reservations: { memory: '32M' } }).passed).toBe(true);
    for (const delay of ['10s', '10000ms', 10e9]) expect(check(recorded, { service: 'web', update: { delay, monitor: delay } }).passed).toBe(true);
    const result = check(recorded, { service: 'web', limits: { memory: '128M', cpus: 1 } });
    expect(result.differences.map((d) => [d.expected, d.actual])).toEqual([['1', '0.5'], ['128M', '100M']]);
    expect(check(recorded, { service: 'web', update: { delay: '1m' } }).message).toBe('service `web`: update delay is `10s`, expected `1m`');
  });

  it('accepts every port syntax, with protocol and mode defaults', () => {
    for (const port of ['8080:80', '8080:80/tcp', 'published=8080,target=80', 'target=80,published=8080,protocol=tcp,mode=ingress', { target: 80, published: 8080 }, '80']) {
      expect(check(recorded, { service: 'web', ports: [port] }), JSON.stringify(port)).toMatchObject({ passed: true });
    }
    expect(check(recorded, { service: 'web', ports: ['8080:80/udp'] }).message)
      .toBe('service `web`: does not publish `8080:80/udp ingress` (ports: `8080:80/tcp ingress`)');
    expect(check(recorded, { service: 'web', ports: ['published=8080,target=80,mode=host'] }).differences[0])
      .toMatchObject({ expected: '8080:80/tcp host', actual: '8080:80/tcp ingress' });
  });

  it('finds a host-mode port the engine stores without a protocol', () => {
    const hostMode = variant(FIXTURE, (m) => {
      const web = serviceNamed(m, 'web');
      web.Spec.EndpointSpec = { Mode: 'dnsrr', Ports: [{ TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] };
      web.Endpoint = { Ports: [{ TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] };
    });
    expect(check(hostMode, { service: 'web', ports: ['published=8080,target=80,mode=host'], endpoint_mode: 'dnsrr' }).passed).toBe(true);
    expect(check(hostMode, { service: 'web', ports: ['8080:80'] }).message).toBe('service `web`: does not publish `8080:80/tcp ingress` (ports: `8080:80/tcp host`)');
  });

  it('accepts relative and absolute secret and config targets, and the default owner and mode', () => {
    expect(check(recorded, { service: 'web', secrets: [{ source: 'db-password', target: '/run/secrets/db-password', uid: 0, gid: '0', mode: '0444' }] }).passed).toBe(true);
    expect(check(recorded, { service: 'web', configs: [{ source: 'web-config', target: '/etc/web/web.conf', mode: 292 }] }).passed).toBe(true);
    const result = check(recorded, { service: 'web', secrets: [{ source: 'db-password', mode: '0400', uid: '1000' }] });
    expect(result.differences.map((d) => d.message)).toEqual([
      'service `web`: secret `db-password` uid is `0`, expected `1000`',
      'service `web`: secret `db-password` mode is `0444`, expected `0400`',
    ]);
    const defaultConfig = variant(FIXTURE, (m) => {
      serviceNamed(m, 'web').Spec.TaskTemplate!.ContainerSpec!.Configs = [{ ConfigName: 'web-config', File: { Name: 'web-config' } }];
    });
    expect(check(defaultConfig, { service: 'web', configs: [{ source: 'web-config', target: '/web-config', uid: '0', mode: '0444' }] }).passed).toBe(true);
  });

  it('treats a field left out of the engine spec as its default', () => {
    const bare = variant(FIXTURE, (m) => {
      const web = serviceNamed(m, 'web');
      delete web.Spec.Mode;
      delete web.Spec.UpdateConfig;
      delete web.Spec.EndpointSpec;
    });
    expect(check(bare, {
      service: 'web', mode: 'replicated', replicas: 1, endpoint_mode: 'vip',
      update: { parallelism: 1, delay: '0s', failure_action: 'pause', monitor: '5s', order: 'stop-first', max_failure_ratio: 0 },
      restart: { condition: 'any', delay: '5s', max_attempts: 0, window: '0s' },
    }).passed).toBe(true);
    const result = check(bare, { service: 'web', restart: { condition: 'on-failure' }, replicas: 2 });
    expect(result.differences.map((d) => [d.expected, d.actual])).toEqual([['2', '1'], ['on-failure', 'any']]);
  });

  it('reads a restart policy written by the CLI or compose', () => {
    const onFailure = variant(FIXTURE, (m) => {
      serviceNamed(m, 'web').Spec.TaskTemplate!.RestartPolicy = { Condition: 'on-failure', Delay: 10e9, MaxAttempts: 3 };
    });
    expect(check(onFailure, { service: 'web', restart: { condition: 'on-failure', delay: '10s', max_attempts: 3, window: 0 } }).passed).toBe(true);
    expect(check(onFailure, { service: 'web', restart: { max_attempts: 5 } }).message).toBe('service `web`: restart max attempts is `3`, expected `5`');
  });
});

describe('a stack only where the check asks for one', () => {
  it('accepts a service created by hand under the stack-style name unless `stack:` is given', () => {
    const byHand = variant(FIXTURE, (m) => {
      delete serviceNamed(m, 'shop_api').Spec.Labels!['com.docker.stack.namespace'];
    });
    expect(check(byHand, { service: 'shop_api', replicas: 2 }).passed).toBe(true);
    expect(check(byHand, { service: 'shop_api', stack: 'shop' }).differences).toEqual([{ expected: 'shop', actual: 'none',
      message: 'service `shop_api`: was not deployed by a stack, expected it deployed with `docker stack deploy` as stack `shop`',
      key: 'service.notFromStack', params: { service: 'shop_api', stack: 'shop' } }]);
  });

  it('finds a stack service by its short name when the stack is named', () => {
    expect(check(recorded, { service: 'api', stack: 'shop', replicas: 2 }).passed).toBe(true);
    expect(check(recorded, { service: 'shop_api', stack: 'shop' }).passed).toBe(true);
    expect(check(recorded, { service: 'shop_api', stack: 'app' }).message).toBe('service `shop_api`: belongs to stack `shop`, expected stack `app`');
    expect(check(recorded, { service: 'api' }).message).toBe('service `api` does not exist');
  });
});
