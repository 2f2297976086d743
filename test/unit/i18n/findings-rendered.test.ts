import { describe, expect, it } from 'vitest';
import type { Assertion } from '../../../server/checks/assertion-schema.js';
import { clusterContext } from '../../../server/checks/cluster-context.js';
import type { SwarmTask } from '../../../server/checks/docker-types.js';
import { evaluateAssertion } from '../../../server/checks/evaluate.js';
import type { AssertionResult } from '../../../server/checks/finding.js';
import { probeKey } from '../../../server/checks/probe-plan.js';
import type { ClusterSnapshot } from '../../../server/checks/snapshot.js';
import { loadLessons } from '../../../server/lessons/load-lessons.js';
import { en } from '../../../shared/i18n/findings/en.js';
import { FINDING_LANGUAGES, hasFindingKey, renderFinding, renderFindings } from '../../../shared/i18n/render-finding.js';
import { check, loadSnapshot, serviceNamed, variant } from '../checks/fixtures.js';
import { flatten, messagesOf, PLURAL } from './finding-keys.js';

const FIXTURES = ['single-inactive', 'swarm-1m2w-node3-down', 'swarm-1m2w-services'] as const;
const services = loadSnapshot('swarm-1m2w-services');
const nodeDown = loadSnapshot('swarm-1m2w-node3-down');

/** An assertion evaluated without the schema: for what the evaluator guards against that a lesson cannot write. */
function unchecked(snapshot: ClusterSnapshot, assertion: Record<string, unknown>): AssertionResult {
  return evaluateAssertion(assertion as unknown as Assertion, clusterContext(snapshot));
}

const withProbes = (results: Array<[Record<string, string>, { ran: boolean; exitCode: number; output: string }]>): ClusterSnapshot => ({
  ...services,
  probes: Object.fromEntries(results.map(([spec, result]) => [probeKey(spec), result])),
});
const probed = withProbes([
  [{ service: 'web', command: 'cat /etc/web/web.conf' }, { ran: true, exitCode: 0, output: 'listen 80\nname web\n' }],
  [{ service: 'web', node: 'node1', command: 'cat /missing' }, { ran: true, exitCode: 1, output: 'cat: /missing: No such file' }],
  [{ node: 'node2', file: '/etc/hostname' }, { ran: false, exitCode: -1, output: 'node `node2` cannot be read: timeout' }],
  [{ service: 'web', file: '/run/secrets/db-password' }, { ran: true, exitCode: 0, output: 's3cret' }],
  [{ service: 'web', command: 'cat /run/secrets/db-password; exit 3' }, { ran: true, exitCode: 3, output: 's3cret' }],
]);
const secretFile = { service: 'web', file: '/run/secrets/db-password' };
const secretCommand = { service: 'web', command: 'cat /run/secrets/db-password; exit 3' };
const web = { service: 'web', command: 'cat /etc/web/web.conf' };

const noLeader = variant('swarm-1m2w-services', (m) => {
  for (const node of m.nodes) if (node.ManagerStatus) node.ManagerStatus.Leader = false;
});
const rolledBackAutomatically = variant('swarm-1m2w-services', (m) => {
  const failed = m.tasks.find((t) => t.Status?.State === 'failed')!;
  serviceNamed(m, 'web').UpdateStatus = { State: 'rollback_completed', Message: `update rolled back due to failure or early termination of task ${failed.ID}` };
});
const rolledBackByHand = variant('swarm-1m2w-services', (m) => {
  serviceNamed(m, 'web').UpdateStatus = { State: 'rollback_started', Message: 'manually requested rollback' };
});
// A failed task without an error text, and one of a global service (no slot: named by its node).
const quietFailures = variant('swarm-1m2w-services', (m) => {
  const failed = m.tasks.find((t) => t.Status?.State === 'failed')!;
  delete failed.Status!.Err;
  const agent = serviceNamed(m, 'agent');
  const running = m.tasks.filter((t) => t.ServiceID === agent.ID && t.Status?.State === 'running').slice(0, 2);
  for (const [i, task] of running.entries()) {
    const before = new Date(Date.parse(task.CreatedAt!) - 60_000).toISOString();
    m.tasks.push({ ...structuredClone(task), ID: `agentfailed${i}`, CreatedAt: before, DesiredState: 'shutdown', Status: { State: 'rejected', ...(i ? { Err: 'no suitable node' } : {}) } });
  }
});
const notReplaced = variant('swarm-1m2w-services', (m) => {
  const webId = serviceNamed(m, 'web').ID;
  for (const task of m.tasks.filter((t) => t.ServiceID === webId && t.Slot === 2 && t.Status?.State === 'running')) task.Status!.State = 'shutdown';
});
const labelledSecret = variant('swarm-1m2w-services', (m) => {
  const { secrets } = m as unknown as { secrets: Array<{ Spec?: { Labels?: Record<string, string> } }> };
  secrets[0].Spec!.Labels = { scope: 'shop' };
});
// A task list the custom check cannot read: it must fail with a finding, not throw.
const brokenTasks = variant('swarm-1m2w-services', (m) => {
  m.tasks.push(null as unknown as SwarmTask);
});
const managersFailed: ClusterSnapshot = { ...services, nodes: services.nodes.map((n) => ({ ...n, manager: undefined, managerError: n.manager ? 'node `node1`: the swarm answered 503' : undefined })) };
const nothingRead: ClusterSnapshot = { ...services, nodes: services.nodes.map((n) => ({ ...n, manager: undefined, info: undefined, error: 'unreachable' })) };
const silentNode: ClusterSnapshot = { ...services, nodes: services.nodes.map((n) => (n.name === 'node2' ? { ...n, info: undefined } : n)) };

/**
 * One assertion per property: an assertion's message shows only its failures once one fails, so each property
 * is asked alone to be said whether it holds or not.
 */
function each(snapshot: ClusterSnapshot, subject: Record<string, unknown>, properties: Record<string, unknown>): Array<[ClusterSnapshot, Record<string, unknown>]> {
  return Object.entries(properties).map(([name, value]) => [snapshot, { ...subject, [name]: value }]);
}

/** Assertions beyond the lessons', so that every sentence of the catalogue is said at least once. */
const EXTRA: Array<[ClusterSnapshot, Record<string, unknown>]> = [
  [services, { cluster: true }],
  [services, { cluster: true, task_history_limit: 5 }],
  [services, { nodes: {}, min: 1, max: 2 }],
  [services, { nodes: { role: 'manager', state: 'down' }, count: 0 }],
  [services, { leader: 'node2' }],
  [noLeader, { leader: { not: 'node1' } }],
  [services, { swarm: 'node1', manager: false, leader: false }],
  [services, { swarm: 'node2', leader: false }],
  [services, { swarm: 'node2', leader: true }],
  [silentNode, { swarm: 'node2', state: 'active' }],
  [managersFailed, { service: 'web' }],
  [nothingRead, { service: 'web' }],
  [services, { node: 'node1' }],
  [services, { node: 'node1', reachability: 'reachable' }],
  [services, { node: 'node2', reachability: 'reachable', labels: { storage: 'ssd', zone: 'a' } }],
  [services, { service: 'web' }],
  ...each(services, { service: 'web' }, { image: 'web:1', mode: 'replicated', endpoint_mode: 'vip', update_state: 'completed', healthcheck: true }),
  [services, { service: 'web', labels: { tier: 'back', owner: 'me' }, env: { WEB_MESSAGE: 'bye', NOPE: '1' } }],
  ...each(services, { service: 'web' }, { limits: { cpus: 1, memory: '64M' }, reservations: { memory: '32M' } }),
  [services, { service: 'web', reservations: { cpus: 0.5 } }],
  [services, { service: 'agent', replicas: 3, limits: { memory: '64M' }, healthcheck: true }],
  [services, { service: 'agent', healthcheck: false }],
  [services, { service: 'web', healthcheck: false }],
  [services, { service: 'shop_api', stack: 'shop' }],
  [services, { service: 'shop_api', stack: 'other' }],
  [services, { service: 'web', stack: 'shop' }],
  [services, { service: 'web', ports: ['8080:80'] }],
  [services, { service: 'web', ports: ['9999:80'] }],
  [services, { service: 'web', secrets: [{ source: 'db-password', gid: '0' }] }],
  [services, { service: 'web', secrets: [{ source: 'db-password', target: 'other', uid: '1', mode: '0400' }] }],
  [services, { service: 'web', configs: [{ source: 'web-config', target: '/etc/web/web.conf', uid: '0', mode: '0444' }] }],
  [services, { service: 'web', configs: [{ source: 'web-config', target: '/x', gid: '1' }, { source: 'nope' }] }],
  ...['update', 'rollback'].flatMap((which) => Object.entries({ parallelism: 2, delay: '5s', monitor: '10s', failure_action: 'continue', max_failure_ratio: 0.5, order: 'start-first' })
    .flatMap(([name, value]) => each(services, { service: 'web' }, { [which]: { [name]: value } }))),
  [services, { service: 'web', restart: { condition: 'none', delay: '1s', max_attempts: 3, window: '10s' } }],
  [services, { service: 'web', rolled_back: true }],
  [rolledBackAutomatically, { service: 'web', rolled_back: 'manual' }],
  [rolledBackByHand, { service: 'web', rolled_back: 'manual' }],
  [services, { custom: 'replicas-balanced', args: { service: 'web', max_difference: 3 } }],
  [services, { custom: 'replicas-balanced', args: { service: 'db', max_difference: 0 } }],
  [services, { custom: 'no-such-check' }],
  [brokenTasks, { custom: 'replicas-balanced', args: { service: 'web' } }],
  [services, { tasks: 'web', node: 'node1', min: 0 }],
  [services, { tasks: 'db', not_on: ['node1'], min_nodes: 1 }],
  [services, { tasks: 'db', on_nodes: ['node3'] }],
  [services, { tasks: 'web', replaced_failures: { min: 1 }, per_slot: { min: 1, max: 9 } }],
  [services, { tasks: 'web', per_slot: { min: 9, max: 0 } }],
  [services, { tasks: 'db', replaced_failures: { min: 1 } }],
  [notReplaced, { tasks: 'web', replaced_failures: { min: 1 } }],
  [quietFailures, { tasks: 'web', replaced_failures: { min: 1 } }],
  [quietFailures, { tasks: 'agent', replaced_failures: { max: 0 }, state: ['failed', 'rejected'] }],
  [services, { stack: 'shop' }],
  [services, { stack: 'shop', absent: true }],
  ...each(services, { network: 'app-net' }, { driver: 'bridge', attachable: true, labels: { purpose: 'demo', owner: 'me' } }),
  [labelledSecret, { secret: 'db-password', labels: { scope: 'shop' } }],
  [labelledSecret, { secret: 'db-password', labels: { scope: 'web', tier: 'db' } }],
  [services, { config: 'web-config', labels: { team: 'web' } }],
  [services, { config: 'web-config', labels: { team: 'db', other: 'x' } }],
  [services, { config: 'nope' }],
  [services, { config: 'web-config', absent: true }],
  [services, { volume: 'db-data', driver: 'local', labels: { kind: 'data' } }],
  [services, { volume: 'db-data', driver: 'nfs', labels: { other: 'x' } }],
  [services, { volume: 'db-data', node: 'node1' }],
  [services, { volume: 'db-data', node: 'node2', absent: true }],
  [services, { volume: 'db-data', absent: true }],
  [services, { volume: 'nope' }],
  [nodeDown, { volume: 'nope' }],
  [probed, { probe: web, contains: 'listen', not_contains: 'debug', equals: 'listen 80\nname web', matches: '^name' }],
  [probed, { probe: web, exit_code: 0 }],
  [probed, { probe: web, contains: 'debug', not_contains: 'listen', equals: 'other', matches: '^debug', exit_code: 3 }],
  [probed, { probe: { service: 'web', node: 'node1', command: 'cat /missing' } }],
  [probed, { probe: { node: 'node2', file: '/etc/hostname' } }],
  [probed, { probe: secretFile, equals: 's3cret', not_contains: 'other' }],
  [probed, { probe: secretFile, contains: 'nope', not_contains: 's3cret' }],
  [probed, { probe: secretCommand, matches: '^s3', exit_code: 0 }],
];

async function everyResult(): Promise<AssertionResult[]> {
  const lessons = await loadLessons(new URL('../../../lessons/', import.meta.url).pathname);
  const results: AssertionResult[] = [];
  for (const fixture of FIXTURES) {
    const ctx = clusterContext(loadSnapshot(fixture));
    for (const lesson of lessons) {
      for (const assertion of lesson.steps.flatMap((s) => s.checks).flatMap((c) => c.assertions)) results.push(evaluateAssertion(assertion, ctx));
    }
  }
  for (const [snapshot, raw] of EXTRA) results.push(check(snapshot, raw));
  // Join tokens since the step opened: unreadable now, no baseline, and compared both ways.
  const base = clusterContext(services);
  const tokens = { worker: 'a'.repeat(64), manager: 'b'.repeat(64) };
  const joinTokens = (wanted: 'rotated' | 'unchanged') => ({ kind: 'cluster', cluster: true, join_tokens: { worker: wanted, manager: wanted } }) as unknown as Assertion;
  const withTokens = { ...base, swarm: { ...base.swarm!, joinTokens: tokens } };
  results.push(evaluateAssertion(joinTokens('rotated'), { ...base, swarm: { ...base.swarm!, joinTokens: undefined } }));
  for (const wanted of ['rotated', 'unchanged'] as const) results.push(evaluateAssertion(joinTokens(wanted), withTokens));
  for (const wanted of ['rotated', 'unchanged'] as const) {
    results.push(evaluateAssertion(joinTokens(wanted), { ...withTokens, baseline: { takenAt: 0, joinTokens: { worker: 'c'.repeat(64), manager: tokens.manager } } }));
  }
  results.push(evaluateAssertion(joinTokens('rotated'), { ...withTokens, baseline: { takenAt: 0, joinTokens: { worker: 'c'.repeat(64), manager: 'd'.repeat(64) } } }));
  // The schema refuses a port it cannot read; the evaluator still says so rather than fail silently.
  results.push(unchecked(services, { kind: 'service', service: 'web', ports: ['nonsense'] }));
  return results;
}

describe('every finding an assertion can say', async () => {
  const results = await everyResult();
  const messages = results.flatMap(messagesOf);

  it('names keys both catalogues have, in the form its count needs', () => {
    for (const { key, params } of messages) {
      const count = typeof params.count === 'number' ? params.count : undefined;
      for (const lang of FINDING_LANGUAGES) expect(hasFindingKey(key, lang, count), `${lang} ${key}`).toBe(true);
    }
  });

  it('says every sentence of the catalogue somewhere (none is left unused or unchecked)', () => {
    const said = new Set(messages.map((m) => m.key));
    // `common.none` words an empty list inside other sentences; a grade report says `report.*` (grading tests).
    const elsewhere = new Set(['common.none', 'report.notChecked', 'report.notReached']);
    const unsaid = [...flatten(en).keys()].map((k) => k.replace(PLURAL, '')).filter((k) => !elsewhere.has(k) && !said.has(k));
    expect([...new Set(unsaid)]).toEqual([]);
  });

  it('renders in every language with every placeholder filled', () => {
    for (const result of results) {
      for (const lang of FINDING_LANGUAGES) {
        // Quoted names are the cluster's or the lesson's own text (a probe may quote an unfilled `{{node2.ip}}`).
        const unquoted = (text: string) => text.replace(/`[^`]*`/g, '``');
        const text = unquoted(renderFindings(result.findings, lang));
        expect(text, `${lang}: ${text}`).not.toMatch(/\{\{|\}\}|\$t\(|undefined|\[object Object\]/);
        for (const difference of result.differences) expect(unquoted(renderFinding(difference, lang))).not.toMatch(/\{\{|\}\}|\[object Object\]/);
      }
    }
  });

  it('keeps the English message the server sends equal to its rendering', () => {
    for (const result of results) {
      expect(renderFindings(result.findings, 'en')).toBe(result.message);
      for (const difference of result.differences) expect(renderFinding(difference, 'en')).toBe(difference.message);
    }
  });

  it('writes Korean for every finding, keeping names and values as they are', () => {
    for (const result of results) {
      const korean = renderFindings(result.findings, 'ko');
      expect(korean, result.message).not.toBe(result.message);
      const codes = (text: string) => [...text.matchAll(/`[^`]*`/g)].map((m) => m[0]).filter((c) => !c.includes('docker '));
      // Every name the English quotes is quoted in Korean too (order may differ).
      expect(codes(korean).sort(), korean).toEqual(codes(result.message).sort());
    }
  });
});

describe('Korean findings', () => {
  it('words replicas, tasks and bounds with the seed notes\' terms', () => {
    const running = variant('swarm-1m2w-services', (m) => {
      const task = m.tasks.find((t) => t.ServiceID === serviceNamed(m, 'web').ID && t.Status?.State === 'running')!;
      task.Status!.State = 'shutdown';
    });
    expect(renderFindings(check(running, { service: 'web', running: 3 }).findings, 'ko')).toBe('서비스 `web`: 레플리카 3개 중 2개 실행 중');
    expect(renderFindings(check(services, { service: 'web', running: 2 }).findings, 'ko')).toBe('서비스 `web`: 레플리카 3개 중 3개 실행 중, 기대값 2개');
    expect(renderFindings(check(services, { tasks: 'web', node: 'node1', min: 1 }).findings, 'ko')).toBe('서비스 `web`: `node1`에서 running 태스크 0개, 기대값 최소 1');
    expect(renderFindings(check(services, { nodes: { role: 'manager' }, count: 3 }).findings, 'ko')).toBe('manager 노드 1개 (`node1`), 기대값 3');
  });

  it('names the compared property from the field catalogue', () => {
    expect(renderFindings(check(services, { service: 'web', image: 'web:2' }).findings, 'ko')).toBe('서비스 `web`: 이미지 `web:1`, 기대값 `web:2`');
    expect(renderFindings(check(services, { service: 'web', update: { parallelism: 1 } }).findings, 'ko'))
      .toBe('서비스 `web`: 업데이트 병렬 처리 수 `2`, 기대값 `1`');
    expect(renderFindings(check(services, { node: 'node2', labels: { storage: 'hdd' } }).findings, 'ko'))
      .toBe('노드 `node2`: 레이블 `storage` `ssd`, 기대값 `hdd`');
  });

  it('words empty lists, alternatives and rollbacks in Korean', () => {
    expect(renderFindings(check(services, { service: 'db', networks: ['back'] }).findings, 'ko'))
      .toBe('서비스 `db`: 네트워크 `back`에 연결되지 않음 (네트워크: 없음)');
    expect(renderFindings(check(services, { tasks: 'web', state: ['failed', 'rejected'], count: 0 }).findings, 'ko'))
      .toBe('서비스 `web`: failed 또는 rejected 태스크 1개, 기대값 0');
    expect(renderFindings(check(services, { service: 'web', rolled_back: true }).findings, 'ko'))
      .toBe('서비스 `web`: 롤백되지 않음, 업데이트 상태 `none`, 기대값: 롤백됨');
  });
});
