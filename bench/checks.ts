// Time of a full check run (every check of the largest lesson, probes included) on a live 5-node session,
// through the checks route as the page calls it, and the time of each stage of it measured on its own.
// Prints median and p95 over RUNS (default 20) runs.
//   npx tsx bench/checks.ts
import { readdirSync, readFileSync } from 'node:fs';
import { collectRawSnapshot } from '../server/checks/collect-snapshot.js';
import { probeScript } from '../server/checks/collect-script.js';
import { evaluate } from '../server/checks/evaluate.js';
import { httpNodeReader } from '../server/checks/http-node-reader.js';
import { neededProbes } from '../server/checks/probe-need.js';
import { planProbes } from '../server/checks/probe-plan.js';
import { readPlan, recordsBaselines } from '../server/checks/read-plan.js';
import { snapshotFromRaw } from '../server/checks/snapshot.js';
import { computePlaceholderValues } from '../server/lessons/placeholder-values.js';
import { listPlaceholders } from '../server/lessons/placeholders.js';
import { parseLesson } from '../server/lessons/parse-lesson.js';
import { apiClient, startTestServer } from '../test/support/test-server.js';
import { median, percentile, report, table, timed } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const dir = new URL('../lessons/', import.meta.url).pathname;
const lessons = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => parseLesson(readFileSync(dir + f, 'utf8'), f));
const assertionsOf = (l: (typeof lessons)[number]) => l.steps.flatMap((s) => s.checks).reduce((n, c) => n + c.assertions.length, 0);
const largest = lessons.filter((l) => l.meta.template === 'swarm-3m2w').sort((a, b) => assertionsOf(b) - assertionsOf(a))[0] ?? lessons.sort((a, b) => assertionsOf(b) - assertionsOf(a))[0];

const server = await startTestServer('bench-checks', { logLevel: 'error', classroom: { checkIntervalSeconds: 0 } });
const api = apiClient(server.url);
const session = await api.createSession({ template: 'swarm-3m2w', swarm: true });
// Some state to read: services with tasks on every node.
await api.exec(session, 'node1', 'docker service create -d --name web --replicas 6 web:1 && docker service create -d --name agent --mode global busybox:latest sleep 1d && sleep 8');

async function sample(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const { ms } = await timed(run);
    if (i >= 2) times.push(ms); // the first runs warm up the nodes' caches
  }
  return times;
}
const row = (stage: string, times: number[]) => ({ stage, 'median ms': median(times).toFixed(1), 'p95 ms': percentile(times, 95).toFixed(1), 'min ms': Math.min(...times).toFixed(1), 'max ms': Math.max(...times).toFixed(1) });

let checks = 0;
const times = await sample(async () => {
  const value = await api.call('POST', `/sessions/${session.id}/checks`, session.token, { lesson: largest.meta.id });
  if (value.status !== 200) throw new Error(JSON.stringify(value.body));
  checks = value.body.checks.length;
});

// Each stage on its own, in the order a run goes through them.
const live = server.sessions.find(session.id)!;
const nodes = [...live.nodes.values()];
const names = nodes.map((n) => n.name);
const exec = server.sessions.nodeExec(live, 'check');
const reader = httpNodeReader(server.sessions.engineAddresses(live)!, () => Promise.reject(new Error('no fallback in the benchmark')));
const lessonChecks = largest.steps.flatMap((s) => s.checks);
const probes = lessonChecks.flatMap((c) => c.assertions.flatMap((a) => (a.kind === 'probe' ? [a.probe] : [])));
const plan = readPlan(lessonChecks, recordsBaselines(lessonChecks));
const raw = await collectRawSnapshot(exec, names, [], reader, plan);
const planned = planProbes(probes, snapshotFromRaw(raw)).planned;
const full = await collectRawSnapshot(exec, names, probes, reader, plan);
const needed = neededProbes(lessonChecks, snapshotFromRaw(raw));
const owner = live.resultsOwner();
const stages = [
  row('placeholder values', await sample(() => computePlaceholderValues(nodes, exec, listPlaceholders(JSON.stringify(lessonChecks.map((c) => c.assertions)))))),
  row('engine reads, all nodes', await sample(() => collectRawSnapshot(exec, names, [], reader, plan))),
  row(`probes (${planned.length}, one probe-shell command per node)`, await sample(() => Promise.all([...new Set(planned.map((p) => p.node))].map((node) => exec(node, probeScript(planned.filter((p) => p.node === node).map((p) => p.command))))))),
  // A run waits only for probes that can change a verdict (probe-need.ts); in this state none can, so the
  // first row is what a learner whose probe decides the check waits for.
  row('collection, every probe waited for', await sample(() => collectRawSnapshot(exec, names, probes, reader, plan))),
  row(`collection as a run does (${needed.size} of ${planned.length} probes needed, none started early)`, await sample(() => collectRawSnapshot(exec, names, probes, reader, plan, { needed: (s) => neededProbes(lessonChecks, s), startEarly: () => false }))),
  row('snapshot + evaluation', await sample(async () => evaluate(lessonChecks, snapshotFromRaw(full)))),
  row('store reads and writes', await sample(async () => {
    const stored = server.checks.results.forOwner(owner, largest.meta.id);
    server.checks.results.baselines(owner, largest.meta.id);
    server.checks.results.skippedSteps(owner, largest.meta.id);
    server.checks.results.save(stored);
  })),
  row('runner, no HTTP', await sample(() => server.checks.runner.run(live, largest.meta.id))),
  row('route, total', times),
];
console.log(`full check run of "${largest.meta.id}" (${checks} checks, ${assertionsOf(largest)} assertions) on a 5-node swarm, ${RUNS} runs:\n`);
console.log(table(stages));
report('checks', [
  { name: `full check run of ${largest.meta.id} on 5 nodes, median`, value: median(times), unit: 'ms' },
  { name: `full check run of ${largest.meta.id} on 5 nodes, p95`, value: percentile(times, 95), unit: 'ms', target: { atMost: 100 } },
]);
await api.deleteSession(session);
await server.close();
