// Time of a full check run (every check of the largest lesson, probes included) on a live 5-node session,
// through the checks route as the page calls it. Prints median and p95 over RUNS (default 20) runs.
//   npx tsx bench/checks.ts
import { readdirSync, readFileSync } from 'node:fs';
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

const times: number[] = [];
let checks = 0;
for (let run = 0; run < RUNS + 2; run++) {
  const { ms, value } = await timed(() => api.call('POST', `/sessions/${session.id}/checks`, session.token, { lesson: largest.meta.id }));
  if (value.status !== 200) throw new Error(JSON.stringify(value.body));
  checks = value.body.checks.length;
  if (run >= 2) times.push(ms); // the first runs warm up the nodes' caches
}
console.log(`full check run of "${largest.meta.id}" (${checks} checks, ${assertionsOf(largest)} assertions) on a 5-node swarm, ${RUNS} runs:\n`);
console.log(table([{ 'median ms': median(times).toFixed(0), 'p95 ms': percentile(times, 95).toFixed(0), 'min ms': Math.min(...times).toFixed(0), 'max ms': Math.max(...times).toFixed(0) }]));
report('checks', [
  { name: `full check run of ${largest.meta.id} on 5 nodes, median`, value: median(times), unit: 'ms' },
  { name: `full check run of ${largest.meta.id} on 5 nodes, p95`, value: percentile(times, 95), unit: 'ms', target: { atMost: 100 } },
]);
await api.deleteSession(session);
await server.close();
