// A class left running: LEARNERS learners join an event (from its warm pool), each opens a terminal on their
// node1 and, for --minutes, types a command every few seconds (each keystroke's echo timed) and presses Check
// every half minute. The server's RSS and heap are sampled throughout; growth compares the settled start of the
// soak with its end (medians of three samples each, so one garbage collection does not decide it).
//   npx tsx --expose-gc bench/soak.ts [--minutes 10] [--learners 30]     (issue 9: growth < 10 %)
import { parseArgs } from 'node:util';
import { startTestServer } from '../test/support/test-server.js';
import { TerminalClient } from '../test/support/terminal-client.js';
import { median, percentile, report, table, type Figure } from './lib.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: process.env.SOAK_MINUTES ?? '10' }, learners: { type: 'string', default: process.env.LEARNERS ?? '30' } } });
const MINUTES = Number(values.minutes);
const LEARNERS = Number(values.learners);
const LESSON = 'services';
const PASSWORD = 'bench-password-123';
const SAMPLE_MS = 10_000;
const TYPE_EVERY_MS = 4_000;
const CHECK_EVERY_MS = 30_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startTestServer('bench-soak', {
  logLevel: 'error',
  instructorPassword: PASSWORD,
  limits: { maxSessions: LEARNERS + 5, maxNodesTotal: 3 * (LEARNERS + 5) },
  // The generic pool fills in half the time of pre-formed sessions; how fast the class joins is not what a soak measures.
  sessions: { eventPool: 'generic' },
  classroom: { checkIntervalSeconds: 60 },
});
const base = `${server.url}/api`;

async function json(path: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) },
  });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const samples: Array<{ at: number; rss: number; heap: number }> = [];
// Growth means what stays alive: without a collection first, a sample's heap holds whatever garbage the last
// collection left, and two runs of the same code differ by tens of percent. With --expose-gc (npm run bench passes
// it) each sample collects first; the full collection every SAMPLE_MS shows in that moment's echo figures.
const collect = (globalThis as { gc?: () => void }).gc;
const sample = () => {
  collect?.();
  const { rss, heapUsed } = process.memoryUsage();
  samples.push({ at: performance.now(), rss, heap: heapUsed });
};
const sampler = setInterval(sample, SAMPLE_MS);
const errors: string[] = [];
const echoes: number[] = [];
let checks = 0;
let commands = 0;

/** One learner: type a command key by key (timing each echo), wait for its answer; check now and then. */
async function learner(index: number, joined: { token: string; session: { id: string } }, until: number) {
  const term = await TerminalClient.open(server.url, joined.session.id, 'node1', { token: joined.token });
  await term.waitFor('# ', 60_000);
  await pause((TYPE_EVERY_MS * index) / LEARNERS);
  let lastCheck = performance.now() - (CHECK_EVERY_MS * index) / LEARNERS;
  for (let n = 1; performance.now() < until; n++) {
    try {
      for (const key of `expr ${n} + 100000`) {
        const before = term.received;
        const started = performance.now();
        term.type(key);
        await term.waitFor(() => term.received > before, 5000);
        echoes.push(performance.now() - started);
      }
      const from = term.output.length;
      term.type('\r');
      await term.waitFor(String(n + 100000), 10_000, from);
      commands += 1;
      if (performance.now() - lastCheck >= CHECK_EVERY_MS) {
        lastCheck = performance.now();
        await json(`/sessions/${joined.session.id}/checks`, { method: 'POST', token: joined.token, body: JSON.stringify({ lesson: LESSON, step: 0 }) });
        checks += 1;
      }
    } catch (error) {
      errors.push(`learner${index}: ${(error as Error).message.slice(0, 200)}`);
    }
    await pause(TYPE_EVERY_MS * (0.5 + Math.random()));
  }
  if (term.closed) errors.push(`learner${index}: terminal closed ${JSON.stringify(term.closed)}`);
  await term.close();
}

try {
  sample();
  const { token: instructor } = await json('/instructor/login', { method: 'POST', body: JSON.stringify({ password: PASSWORD }) });
  const event = await json('/instructor/events', { method: 'POST', token: instructor, body: JSON.stringify({ name: 'soak', lessons: [LESSON], capacity: LEARNERS, warmPool: LEARNERS }) });
  let t0 = performance.now();
  await server.sessions.warmUp();
  const fillS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const joined = await Promise.all(
    Array.from({ length: LEARNERS }, (_, i) =>
      json('/join', { method: 'POST', body: JSON.stringify({ code: event.joinCode, name: `learner${i}` }), headers: { 'x-forwarded-for': `127.0.1.${i + 2}` } }),
    ),
  );
  const joinS = (performance.now() - t0) / 1000;
  console.log(`warm pool filled in ${fillS.toFixed(1)} s; ${LEARNERS} learners joined in ${joinS.toFixed(1)} s; soaking for ${MINUTES} min`);
  const started = performance.now();
  const until = started + MINUTES * 60_000;
  await Promise.all(joined.map((j, i) => learner(i, j, until)));
  sample();
  clearInterval(sampler);

  // Growth: from the settled start (after the first minute, once terminals and sessions are open) to the end.
  const soak = samples.filter((s) => s.at >= started + Math.min(60_000, (MINUTES * 60_000) / 4));
  const head = soak.slice(0, 3);
  const tail = soak.slice(-3);
  const growth = (key: 'rss' | 'heap') => (median(tail.map((s) => s[key])) / median(head.map((s) => s[key])) - 1) * 100;
  const mb = (bytes: number) => bytes / 1e6;
  const maxRss = Math.max(...samples.map((s) => s.rss));
  console.log(`\n${table([
    {
      learners: LEARNERS,
      minutes: MINUTES,
      commands,
      checks,
      'echo median ms': percentile(echoes, 50).toFixed(2),
      'echo p99 ms': percentile(echoes, 99).toFixed(2),
      'RSS start→end MB': `${mb(median(head.map((s) => s.rss))).toFixed(0)}→${mb(median(tail.map((s) => s.rss))).toFixed(0)}`,
      'RSS growth %': growth('rss').toFixed(1),
      'heap start→end MB': `${mb(median(head.map((s) => s.heap))).toFixed(0)}→${mb(median(tail.map((s) => s.heap))).toFixed(0)}`,
      'heap growth %': growth('heap').toFixed(1),
      'max RSS MB': mb(maxRss).toFixed(0),
      errors: errors.length,
    },
  ])}`);
  const kinds = new Map<string, number>();
  for (const error of errors) {
    const kind = error.replace(/^learner\d+: /, '').replace(/;.*$/, '').replace(/\d+/g, 'N').slice(0, 80);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  for (const [kind, count] of kinds) console.log(`  ${count} × ${kind}`);
  for (const error of errors.slice(0, 5)) console.log(`  error: ${error}`);
  console.log(`(the server runs in this process: its RSS includes the benchmark's ${LEARNERS} terminal clients; samples ${collect ? 'after a full collection' : 'WITHOUT a collection first (run with --expose-gc): heap growth includes garbage'})`);
  const figures: Figure[] = [
    { name: `soak ${MINUTES} min, ${LEARNERS} learners: server RSS growth`, value: growth('rss'), unit: '%', target: { atMost: 10 } },
    { name: `soak ${MINUTES} min: server heap growth`, value: growth('heap'), unit: '%', target: { atMost: 10 } },
    { name: 'soak: server RSS, highest', value: mb(maxRss), unit: 'MB', target: { atMost: 250 } },
    { name: 'soak: echo median', value: percentile(echoes, 50), unit: 'ms' },
    { name: 'soak: echo p99', value: percentile(echoes, 99), unit: 'ms', target: { atMost: 15 } },
    { name: 'soak: errors', value: errors.length, unit: '', target: { atMost: 0 } },
    { name: `soak: generic warm pool for ${LEARNERS} learners full`, value: fillS, unit: 's', target: { atMost: 120 } },
  ];
  report('soak', figures);
} finally {
  clearInterval(sampler);
  await server.close();
}
