import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssertion } from '../../../server/checks/check-schema.js';
import { evaluate } from '../../../server/checks/evaluate.js';
import { httpNodeReader } from '../../../server/checks/http-node-reader.js';
import { planProbes } from '../../../server/checks/probe-plan.js';
import { FULL_READ, readPlan, recordsBaselines, type ReadPlan } from '../../../server/checks/read-plan.js';
import { snapshotFromRaw, type RawNodeDocument, type RawSnapshot } from '../../../server/checks/snapshot.js';
import type { Check } from '../../../server/checks/check-schema.js';
import { loadLessons } from '../../../server/lessons/load-lessons.js';
import { loadRaw } from './fixtures.js';

const lessons = [...(await loadLessons(fileURLToPath(new URL('../../../lessons/', import.meta.url)))).values()];

function checkOf(title: string, ...raws: Record<string, unknown>[]): Check {
  const assertions = raws.map((raw) => {
    const { assertion, issues } = parseAssertion(raw);
    if (!assertion) throw new Error(issues.map((i) => i.message).join('; '));
    return assertion;
  });
  return { title, points: 1, solution: false, expectBefore: 'any', assertions };
}

// Assertions that hold on the recorded swarm-1m2w-services state and read something beyond the base reads:
// with that read left out, each would fail, so leaving out too much cannot pass unseen.
const NEEDING_MORE = [
  checkOf('network', { network: 'app-net', driver: 'overlay' }),
  checkOf('volume', { volume: 'db-data', node: 'node2' }),
  checkOf('secret', { secret: 'db-password' }),
  checkOf('config', { config: 'web-config' }),
  checkOf('service networks', { service: 'shop_api', networks: ['shop_net'] }),
];

// The stack also exists through its services, so it holds on the base reads too; it is judged the same either way.
const STACK = checkOf('stack', { stack: 'shop' });

describe('readPlan', () => {
  it('reads nothing optional for assertions about nodes, the swarm, services and tasks', () => {
    const drain = lessons.find((l) => l.meta.id === 'drain-maintenance')!;
    expect([...readPlan(drain.steps.flatMap((s) => s.checks))]).toEqual([]);
  });

  it('adds what each kind looks at, everything for a custom check, join tokens when baselines are recorded', () => {
    expect([...readPlan(NEEDING_MORE)].sort()).toEqual(['configs', 'networks', 'secrets', 'volumes']);
    expect([...readPlan([checkOf('p', { probe: { service: 'web', command: 'true' } })])]).toEqual(['containers']);
    expect([...readPlan([checkOf('p', { probe: { node: 'node1', command: 'true' } })])]).toEqual([]);
    expect([...readPlan([checkOf('c', { custom: 'replicas-balanced', args: { service: 'web' } })])]).toEqual([]);
    expect([...readPlan([checkOf('c', { custom: 'not-declared' })])]).toEqual([...FULL_READ]);
    expect([...readPlan([STACK])].sort()).toEqual(['configs', 'networks', 'secrets']);
    const rotation = checkOf('r', { cluster: true, join_tokens: { worker: 'rotated' } });
    expect(recordsBaselines([rotation])).toBe(true);
    expect([...readPlan([rotation])]).toEqual(['joinTokens']);
    expect([...readPlan([], true)]).toEqual(['joinTokens']);
  });
});

// A stand-in for each node's engine API, serving a recorded state: node1 on 127.0.0.1, node2 on 127.0.0.2, ...
// It notes every path asked, so the test sees what a plan leaves out.
let server: Server;
let port: number;
let serving: RawSnapshot;
const asked: string[] = [];
const addresses = new Map(['node1', 'node2', 'node3'].map((name, i) => [name, `127.0.0.${i + 1}`]));
const LISTS = ['nodes', 'services', 'tasks', 'networks', 'secrets', 'configs'] as const;

beforeAll(async () => {
  server = createServer((req, res) => {
    const node = [...addresses].find(([, address]) => req.socket.localAddress?.endsWith(address))![0];
    const path = (req.url ?? '').replace(/^\/v[\d.]+\//, '');
    asked.push(`${node} ${path}`);
    const answer = serving.nodes[node];
    if (!answer || 'unreachable' in answer) return req.socket.destroy();
    const manager = answer.nodes !== undefined;
    const body: Record<string, unknown> = { info: answer.info, 'containers/json': answer.containers, volumes: answer.volumes, swarm: { JoinTokens: { Worker: 'SWMTKN-1-worker', Manager: 'SWMTKN-1-manager' } } };
    for (const list of LISTS) body[list] = answer[list];
    res.setHeader('content-type', 'application/json');
    if (!manager && (path === 'swarm' || (LISTS as readonly string[]).includes(path))) {
      res.statusCode = 503;
      return res.end('{"message":"This node is not a swarm manager."}');
    }
    res.end(JSON.stringify(body[path] ?? null));
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function readThrough(fixture: string, plan: ReadPlan): Promise<RawSnapshot> {
  serving = loadRaw(fixture);
  const reader = httpNodeReader(addresses, async (node) => serving.nodes[node] ?? { unreachable: 'no such node' }, port);
  const names = Object.keys(serving.nodes);
  const nodes = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await reader(name, plan)] as const)));
  return { nodes, probes: serving.probes };
}

describe('a planned read', () => {
  it('asks the engines only for what the plan names', async () => {
    asked.length = 0;
    await readThrough('swarm-1m2w-services', readPlan([]));
    expect(asked.filter((a) => a.startsWith('node1')).sort()).toEqual(['node1 info', 'node1 nodes', 'node1 services', 'node1 tasks']);
    asked.length = 0;
    await readThrough('swarm-1m2w-services', FULL_READ);
    expect(asked.filter((a) => a.startsWith('node2')).sort()).toEqual(
      ['containers/json', 'configs', 'info', 'networks', 'nodes', 'secrets', 'services', 'swarm', 'tasks', 'volumes'].map((p) => `node2 ${p}`).sort());
  });

  it('judges every lesson check and every kind the same as a full read', async () => {
    const suites = [...lessons.map((l) => l.steps.flatMap((s) => s.checks) as Check[]), NEEDING_MORE, [STACK]];
    for (const fixture of ['swarm-1m2w-services', 'swarm-1m2w-node3-down', 'single-inactive']) {
      const full = snapshotFromRaw(await readThrough(fixture, FULL_READ));
      const byPlan = new Map<string, ReturnType<typeof snapshotFromRaw>>(); // one read per distinct plan
      for (const checks of suites) {
        const plan = readPlan(checks, recordsBaselines(checks));
        const key = [...plan].sort().join();
        if (!byPlan.has(key)) byPlan.set(key, snapshotFromRaw(await readThrough(fixture, plan)));
        const planned = byPlan.get(key)!;
        expect(evaluate(checks, planned), `${fixture}: ${checks.map((c) => c.title).join(', ')}`).toEqual(evaluate(checks, full));
        const probes = checks.flatMap((c) => c.assertions.flatMap((a) => (a.kind === 'probe' ? [a.probe] : [])));
        expect(planProbes(probes, planned)).toEqual(planProbes(probes, full));
      }
    }
    const recorded = snapshotFromRaw(await readThrough('swarm-1m2w-services', FULL_READ));
    expect(evaluate(NEEDING_MORE, recorded).map((r) => [r.title, r.passed])).toEqual(NEEDING_MORE.map((c) => [c.title, true]));
    const baseOnly = snapshotFromRaw(await readThrough('swarm-1m2w-services', readPlan([])));
    expect(evaluate(NEEDING_MORE, baseOnly).map((r) => r.passed)).toEqual(NEEDING_MORE.map(() => false));
  }, 30_000);
});

describe('httpNodeReader byte limit', () => {
  it('takes an answer larger than the limit as no answer', async () => {
    serving = loadRaw('swarm-1m2w-services');
    const size = JSON.stringify((serving.nodes.node1 as RawNodeDocument).info).length;
    const reader = httpNodeReader(addresses, async () => ({ unreachable: 'fallback' }), port, size - 1);
    const answer = (await reader('node1', FULL_READ)) as RawNodeDocument;
    expect(answer.info).toBeNull();
    expect(snapshotFromRaw({ nodes: { node1: answer } }).nodes[0].error).toBe('the Docker engine on `node1` did not answer');
    const roomy = httpNodeReader(addresses, async () => ({ unreachable: 'fallback' }), port, size);
    expect(((await roomy('node1', FULL_READ)) as RawNodeDocument).info).toMatchObject({ Name: expect.any(String) });
  });
});
