// Session start-up time and node memory, against a real engine. Prints medians of RUNS runs.
//   npx tsx bench/sessions.ts        (BENCH_RUNS=5 by default)
import { execFileSync } from 'node:child_process';
import { DockerEngine } from '../server/engine/docker-engine.js';
import { apiClient, startTestServer, type CreatedSession } from '../test/support/test-server.js';
import { RUNS, median, table, timed } from './lib.js';

const engine = new DockerEngine();
const server = await startTestServer('bench-sessions', { logLevel: 'error', sessions: { pool: { 'swarm-1m2w+swarm': 1 } } });
const api = apiClient(server.url);

/** From POST to every node answering a docker command. */
async function startOnce(body: object): Promise<{ ms: number; session: CreatedSession }> {
  const { ms, value } = await timed(async () => {
    const session = await api.createSession(body);
    await Promise.all(session.nodes.map((node) => api.exec(session, node.name, 'docker version --format {{.Server.Version}}')));
    return session;
  });
  return { ms, session: value };
}

const rows: Array<Record<string, string | number>> = [];
const cases: Array<[string, object, boolean]> = [
  ['single (cold)', { template: 'single' }, false],
  ['swarm-1m2w raw (cold)', { template: 'swarm-1m2w' }, false],
  ['swarm-1m2w pre-formed (cold)', { template: 'swarm-1m2w', swarm: true, nodes: undefined, lesson: 'cold' }, false],
  ['swarm-1m2w pre-formed (warm pool)', { template: 'swarm-1m2w', swarm: true }, true],
];
let formedSample: CreatedSession | undefined;
for (const [name, body, pooled] of cases) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await server.sessions.warmUp();
    // A cold pre-formed start must not take the pooled one: ask for it as an explicit node list.
    const request = name.includes('pre-formed (cold)') ? { nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }], swarm: true } : body;
    const { ms, session } = await startOnce(request);
    times.push(ms);
    if (pooled && !formedSample) formedSample = session;
    else await api.deleteSession(session);
  }
  rows.push({ case: name, 'median ms': Math.round(median(times)), runs: times.map((t) => Math.round(t)).join(' ') });
}

const baseline: number[] = [];
for (let run = 0; run < RUNS; run++) baseline.push(Number(execFileSync('bash', [new URL('./baseline-swarm.sh', import.meta.url).pathname]).toString().trim()));
rows.push({ case: 'baseline: docker CLI script, pre-formed 3 nodes', 'median ms': Math.round(median(baseline)), runs: baseline.join(' ') });
console.log(table(rows));
const cold = rows.find((r) => r.case === 'swarm-1m2w pre-formed (cold)')!['median ms'] as number;
const warm = rows.find((r) => r.case === 'swarm-1m2w pre-formed (warm pool)')!['median ms'] as number;
console.log(`\nratio to the CLI baseline: cold ${(cold / median(baseline)).toFixed(2)}, warm pool ${(warm / median(baseline)).toFixed(2)}`);

// Memory of idle nodes of a formed swarm, after it settles.
if (formedSample) {
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const containers = await engine.listContainers('bench-sessions');
  const memory: Array<Record<string, string | number>> = [];
  for (const node of formedSample.nodes) {
    const container = containers.find((c) => c.labels['io.swarm-workshop.session'] === formedSample!.id && c.labels['io.swarm-workshop.node'] === node.name)!;
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      samples.push(await engine.memoryUsage(container.id));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    memory.push({ node: node.name, role: node.role ?? '-', 'median MiB': (median(samples) / 2 ** 20).toFixed(1) });
  }
  console.log(`\nidle node memory (cgroup usage less inactive file cache, as docker stats shows it):\n${table(memory)}`);
}
await server.close();
