// Session start-up time, what a node start costs in CPU, and what idle nodes cost (memory and CPU), against a
// real engine. Prints medians of RUNS runs; the baseline is the same pre-formed swarm made by a docker CLI script.
//   npx tsx bench/sessions.ts        (BENCH_RUNS=5 by default)
import { execFileSync } from 'node:child_process';
import { DockerEngine } from '../server/engine/docker-engine.js';
import { apiClient, startTestServer, type CreatedSession } from '../test/support/test-server.js';
import { RUNS, median, report, table, timed, type Figure } from './lib.js';

const INSTANCE = 'bench-sessions';
const IDLE_WINDOW_MS = 20_000;
const engine = new DockerEngine();
const server = await startTestServer(INSTANCE, { logLevel: 'error', sessions: { pool: { 'swarm-1m2w+swarm': 1 } } });
const api = apiClient(server.url);
const figures: Figure[] = [];

/** From POST to every node answering a docker command. */
async function startOnce(body: object, client = api): Promise<{ ms: number; session: CreatedSession }> {
  const { ms, value } = await timed(async () => {
    const session = await client.createSession(body);
    await Promise.all(session.nodes.map((node) => client.exec(session, node.name, 'docker version --format {{.Server.Version}}')));
    return session;
  });
  return { ms, session: value };
}

async function containerOf(session: CreatedSession, node: string): Promise<string> {
  const containers = await engine.listContainers(INSTANCE);
  return containers.find((c) => c.labels['io.swarm-workshop.session'] === session.id && c.labels['io.swarm-workshop.node'] === node)!.id;
}

const rows: Array<Record<string, string | number>> = [];
const cases: Array<[string, object, boolean]> = [
  ['single (cold)', { template: 'single' }, false],
  ['swarm-1m2w raw (cold)', { template: 'swarm-1m2w' }, false],
  // A cold pre-formed start must not take the pooled one: ask for it as an explicit node list.
  ['swarm-1m2w pre-formed (cold)', { nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }], swarm: true }, false],
  ['swarm-1m2w pre-formed (warm pool)', { template: 'swarm-1m2w', swarm: true }, true],
];
let formedSample: CreatedSession | undefined;
const startCpu: number[] = [];
for (const [name, body, pooled] of cases) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await server.sessions.warmUp();
    const { ms, session } = await startOnce(body);
    times.push(ms);
    // CPU a lone node used from its start to answering: what one node start costs.
    if (name === 'single (cold)') startCpu.push(await engine.cpuSeconds(await containerOf(session, 'node1')));
    if (pooled && !formedSample) formedSample = session;
    else await api.deleteSession(session);
  }
  rows.push({ case: name, 'median ms': Math.round(median(times)), runs: times.map((t) => Math.round(t)).join(' ') });
}

// From the generic pool, which serves any template: three waiting nodes adopted (a session network, names) and formed into a swarm.
const genericServer = await startTestServer(`${INSTANCE}-generic`, { logLevel: 'error', sessions: { genericPool: 3 } });
const genericApi = apiClient(genericServer.url);
const genericTimes: number[] = [];
for (let run = 0; run < RUNS; run++) {
  await genericServer.sessions.warmUp();
  const { ms, session } = await startOnce({ nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }], swarm: true }, genericApi);
  genericTimes.push(ms);
  await genericApi.deleteSession(session);
}
await genericServer.close();
rows.push({ case: 'swarm-1m2w pre-formed (generic pool, any template)', 'median ms': Math.round(median(genericTimes)), runs: genericTimes.map((t) => Math.round(t)).join(' ') });

const baseline: number[] = [];
// The same node image as the server (WORKSHOP_NODE_IMAGE), so the ratio compares the two ways, not two images.
const nodeImage = `${server.config.images.node}:latest`;
for (let run = 0; run < RUNS; run++) baseline.push(Number(execFileSync('bash', [new URL('./baseline-swarm.sh', import.meta.url).pathname, nodeImage]).toString().trim()));
rows.push({ case: 'baseline: docker CLI script, pre-formed 3 nodes', 'median ms': Math.round(median(baseline)), runs: baseline.join(' ') });
console.log(table(rows));
const msOf = (name: string) => rows.find((r) => r.case === name)!['median ms'] as number;
const cold = msOf('swarm-1m2w pre-formed (cold)');
const warm = msOf('swarm-1m2w pre-formed (warm pool)');
const generic = msOf('swarm-1m2w pre-formed (generic pool, any template)');
console.log(`\nratio to the CLI baseline: cold ${(cold / median(baseline)).toFixed(2)}, generic pool ${(generic / median(baseline)).toFixed(2)}, warm pool ${(warm / median(baseline)).toFixed(2)}`);
console.log(`CPU of one node start (single node, start to answering): median ${median(startCpu).toFixed(2)} s`);
figures.push(
  { name: 'pre-formed 3-node swarm, cold, ratio to the CLI script', value: cold / median(baseline), unit: '×', target: { atMost: 0.65 }, baseline: { name: 'CLI script ms', value: median(baseline) } },
  { name: 'pre-formed 3-node swarm, cold', value: cold, unit: 'ms' },
  { name: 'pre-formed 3-node swarm from the generic pool (any template), ratio to the CLI script', value: generic / median(baseline), unit: '×', target: { atMost: 0.65 } },
  { name: 'pre-formed 3-node swarm, warm pool', value: warm, unit: 'ms' },
  { name: 'CPU time of one node start', value: median(startCpu), unit: 'CPU-s' },
);

// Idle nodes of a formed swarm, after it settles: memory, and CPU over a window.
if (formedSample) {
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const idle: Array<Record<string, string | number>> = [];
  const byRole = new Map<string, { memory: number[]; cpu: number[] }>();
  for (const node of formedSample.nodes) {
    const id = await containerOf(formedSample, node.name);
    const memory: number[] = [];
    for (let i = 0; i < RUNS; i++) memory.push(await engine.memoryUsage(id));
    const cpuStart = await engine.cpuSeconds(id);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
    const cpuPercent = ((await engine.cpuSeconds(id)) - cpuStart) / ((performance.now() - t0) / 1000) * 100;
    const role = node.role ?? 'engine';
    const entry = byRole.get(role) ?? { memory: [], cpu: [] };
    entry.memory.push(median(memory) / 2 ** 20);
    entry.cpu.push(cpuPercent);
    byRole.set(role, entry);
    idle.push({ node: node.name, role, 'median MiB': (median(memory) / 2 ** 20).toFixed(1), 'CPU % of a core': cpuPercent.toFixed(2) });
  }
  console.log(`\nidle nodes (memory: cgroup usage less inactive file cache, as docker stats shows it; CPU over ${IDLE_WINDOW_MS / 1000} s):\n${table(idle)}`);
  const targets: Record<string, number> = { manager: 80, worker: 40 };
  for (const [role, { memory, cpu }] of byRole) {
    figures.push({ name: `idle ${role} memory`, value: Math.max(...memory), unit: 'MiB', ...(targets[role] ? { target: { atMost: targets[role] } } : {}) });
    figures.push({ name: `idle ${role} CPU`, value: Math.max(...cpu), unit: '% of a core', target: { atMost: 0.3 } });
  }
}
await server.close();
report('sessions', figures);
