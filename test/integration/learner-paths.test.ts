import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssertion } from '../../server/checks/check-schema.js';
import { clusterContext } from '../../server/checks/cluster-context.js';
import { collectRawSnapshot, collectSnapshot, type NodeExec } from '../../server/checks/collect-snapshot.js';
import { evaluateAssertion } from '../../server/checks/evaluate.js';
import type { AssertionResult } from '../../server/checks/finding.js';
import { httpNodeReader } from '../../server/checks/http-node-reader.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/**
 * Learners who reach a lesson's state by another road than the lesson's own commands: equivalent
 * constraints, the CLI where a stack is not required, defaults left out, units spelled differently, and
 * rollbacks done right and done wrong. The lessons' checks run through the API, as the page runs them; the
 * history assertions not yet used by a lesson are evaluated against the same live cluster.
 * No IPVS on this kernel: nothing here relies on the routing mesh answering.
 */

let server: RunningServer;
let api: ReturnType<typeof apiClient>;
let session: CreatedSession;
const NODES = ['node1', 'node2', 'node3'];

beforeAll(async () => {
  server = await startTestServer('t-learner-paths', { classroom: { checkIntervalSeconds: 0 } });
  api = apiClient(server.url);
  session = await api.createSession({ template: 'swarm-1m2w', swarm: true, lesson: 'rolling-updates' });
});

afterAll(async () => {
  await server?.close();
});

async function sh(command: string, node = 'node1'): Promise<string> {
  const result = await api.exec(session, node, command, 60);
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}: ${result.output}`);
  return result.output.trim();
}

interface CheckView { title: string; passed: boolean; assertions: AssertionResult[] }

/** Runs a whole lesson's checks through the API and returns the one whose title matches. */
async function lessonCheck(lesson: string, title: RegExp): Promise<CheckView> {
  const run = await api.call('POST', `/sessions/${session.id}/checks`, session.token, { lesson });
  expect(run.status).toBe(200);
  const found = (run.body.checks as CheckView[]).find((c) => title.test(c.title));
  if (!found) throw new Error(`lesson ${lesson} has no check titled ${title}: ${run.body.checks.map((c: CheckView) => c.title).join(' | ')}`);
  return found;
}

async function eventuallyCheck(lesson: string, title: RegExp, passed: boolean, timeoutMs = 60_000): Promise<CheckView> {
  let last: CheckView | undefined;
  await eventually(async () => (last = await lessonCheck(lesson, title)).passed === passed, timeoutMs, 1000)
    .catch(() => { throw new Error(`check ${title} never ${passed ? 'passed' : 'failed'}: ${last?.assertions.map((a) => a.message).join(' | ')}`); });
  return last!;
}

/** Evaluates assertions written as in a lesson against the live cluster, read the way the server reads it. */
async function live(...assertions: Record<string, unknown>[]): Promise<AssertionResult[]> {
  const exec: NodeExec = (node, command) => api.exec(session, node, command, 30);
  const addresses = new Map(session.nodes.map((n) => [n.name, n.address]));
  const reader = httpNodeReader(addresses, async (node) => (await collectRawSnapshot(exec, [node])).nodes[node]);
  const ctx = clusterContext(await collectSnapshot(exec, NODES, [], reader));
  return assertions.map((raw) => {
    const { assertion, issues } = parseAssertion(raw);
    if (!assertion) throw new Error(issues.map((i) => i.message).join('; '));
    return evaluateAssertion(assertion, ctx);
  });
}

async function waitForUpdateState(service: string, states: string[], timeoutMs = 150_000): Promise<void> {
  await eventually(async () => states.includes(await sh(`docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' ${service}`)), timeoutMs, 1000);
}

describe('learner paths that differ from the lessons\' commands', () => {
  it('placement: a wrong constraint is named, the equivalent `node.role != manager` passes', async () => {
    await sh("docker service create --detach --name web-alb --replicas 3 --constraint 'node.role == manager' web:1");
    const wrong = await eventuallyCheck('placement', /only on workers/, false);
    const messages = wrong.assertions.map((a) => a.message).join(' | ');
    expect(messages).toContain('lacks placement constraint `node.role==worker` (constraints: `node.role == manager`)');
    const constraint = wrong.assertions.flatMap((a) => a.differences).find((d) => d.expected === 'node.role==worker');
    expect(constraint).toMatchObject({ actual: 'node.role == manager' });

    await sh("docker service update --detach --constraint-rm 'node.role == manager' --constraint-add 'node.role!=manager' web-alb");
    await eventuallyCheck('placement', /only on workers/, true, 90_000);
  });

  it('configs and secrets: the CLI instead of a stack, with a relative secret target, passes where no stack is asked for', async () => {
    await sh("printf key-123 | docker secret create api-key - && printf 'greeting=hi' > /tmp/web.conf && docker config create web-config /tmp/web.conf");
    await sh('docker service create --detach --name todo_todo-web --config source=web-config,target=/etc/web/config.conf --secret source=api-key,target=api-key.json web:1');
    await eventuallyCheck('configs-secrets', /todo stack mounts/, true, 90_000);
    const [asStack] = await live({ service: 'todo_todo-web', stack: 'todo' });
    expect(asStack.passed).toBe(false);
    expect(asStack.differences[0]).toMatchObject({ expected: 'todo', actual: 'none' });
  });

  it('rolling updates: durations in other units and defaults left out match the lesson\'s policy', async () => {
    await sh('docker service create --detach --name my-web --replicas 4 --update-parallelism 2 --update-delay 5000ms web:1');
    await eventuallyCheck('rolling-updates', /two tasks at a time/, true, 90_000);
    await sh('docker service update --detach --update-order start-first --update-failure-action rollback --update-monitor 10000ms --update-max-failure-ratio .25 my-web');
    await eventuallyCheck('rolling-updates', /start-first with automatic rollback/, true);
    const [near] = await live({ service: 'my-web', update: { delay: '5s', monitor: '15s' } });
    expect(near.differences).toHaveLength(1);
    expect(near.differences[0]).toMatchObject({ expected: '15s', actual: '10s', message: 'service `my-web`: update monitor is `10s`, expected `15s`' });
  });

  it('compose: sizes, durations, host-mode ports and defaults read the same as the CLI spellings', async () => {
    await sh(`cat > /root/paths.yml <<'EOF'
version: "3.8"
services:
  web:
    image: web:1
    ports:
      - {target: 80, published: 8081, mode: host}
    deploy:
      endpoint_mode: dnsrr
      resources:
        limits: {cpus: '0.5', memory: 512M}
      restart_policy: {condition: on-failure, delay: 10s}
      update_config: {parallelism: 2}
EOF
docker stack deploy -c /root/paths.yml paths`);
    await eventually(async () => (await live({ service: 'paths_web', running: 1 }))[0].passed, 90_000, 1000);
    const results = await live(
      {
        service: 'web', stack: 'paths', replicas: 1, endpoint_mode: 'dnsrr',
        ports: ['published=8081,target=80,mode=host'],
        limits: { cpus: 0.5, memory: '512MiB' },
        restart: { condition: 'on-failure', delay: '10000ms', max_attempts: 0 },
        update: { parallelism: 2, failure_action: 'pause', order: 'stop-first', monitor: '5s' },
      },
      { service: 'paths_web', limits: { memory: 536870912 }, ports: [{ target: 80, published: 8081, protocol: 'tcp', mode: 'host' }] },
      { service: 'paths_web', ports: ['8081:80'], limits: { memory: '256M' } },
    );
    expect(results[0].message).not.toContain('expected');
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
    expect(results[2].differences.map((d) => [d.expected, d.actual])).toEqual([['8081:80/tcp ingress', '8081:80/tcp host'], ['256M', '512M']]);
  });

  it('rollback done right: the failure action rolls the broken update back on its own', async () => {
    await sh('docker service create --detach --name api --replicas 2 --update-failure-action rollback --update-monitor 15s --rollback-parallelism 2 --rollback-order start-first web:1');
    await eventually(async () => (await live({ service: 'api', running: 2 }))[0].passed, 60_000, 1000);
    await sh('docker service update --detach --image web:broken api');
    await waitForUpdateState('api', ['rollback_completed']);
    await eventuallyCheck('rolling-updates', /rolled back automatically/, true);
    const [automatic, replaced] = await live({ service: 'api', rolled_back: 'automatic', image: 'web:1' }, { tasks: 'api', replaced_failures: { min: 1 } });
    expect(automatic.message).toContain('was rolled back automatically');
    expect(automatic.passed).toBe(true);
    expect(replaced.passed).toBe(true);
  });

  it('rollback done wrong: rolled back by hand after the update paused, named as such', async () => {
    await sh('docker service rm api');
    await eventually(async () => (await live({ service: 'api', absent: true }))[0].passed, 30_000, 1000);
    await sh('docker service create --detach --name api --replicas 2 --update-failure-action pause --update-monitor 15s --rollback-parallelism 2 --rollback-order start-first web:1');
    await eventually(async () => (await live({ service: 'api', running: 2 }))[0].passed, 60_000, 1000);
    await sh('docker service update --detach --image web:broken api');
    await waitForUpdateState('api', ['paused']);
    await sh('docker service rollback --detach api');
    await waitForUpdateState('api', ['rollback_completed']);
    const [asked, manual] = await live({ service: 'api', rolled_back: 'automatic' }, { service: 'api', rolled_back: 'manual', update_state: 'rollback_completed' });
    expect(asked.passed).toBe(false);
    expect(asked.differences[0]).toMatchObject({ expected: 'automatic', actual: 'manual' });
    expect(asked.message).toContain('was rolled back by hand');
    expect(manual.passed).toBe(true);
  });

  it('a promoted node counts once it is reachable in the Raft group', async () => {
    const [before] = await live({ node: 'node2', reachability: 'reachable' });
    expect(before.differences[0]).toMatchObject({ expected: 'reachable', actual: 'not a manager' });
    await sh('docker node promote node2');
    await eventually(async () => (await live({ node: 'node2', role: 'manager', reachability: 'reachable' }))[0].passed, 60_000, 1000);
  });
});
