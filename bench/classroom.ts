// A simulated class: 30 learners join an event within 10 s, each getting a pre-formed swarm-1m2w session.
// Prints the time until all are ready (cold, then with an event warm pool), how long the pool took to fill, the
// server's memory (highest sampled during the round), the nodes' memory, and the delay from a learner's check to
// the instructor's dashboard. Rounds: `cold`; `generic` (the event's pool as waiting nodes any template can
// take: sessions.eventPool generic); `template` (pre-formed sessions of the lesson's template, the default).
//   npx tsx bench/classroom.ts            LEARNERS=30 by default; ROUNDS=cold,generic (default), add template to compare
import { DockerEngine } from '../server/engine/docker-engine.js';
import { startTestServer } from '../test/support/test-server.js';
import { median, percentile, report, table, type Figure } from './lib.js';

const LEARNERS = Number(process.env.LEARNERS ?? 30);
const engine = new DockerEngine();
const PASSWORD = 'bench-password-123';

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) },
  });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

type Round = 'cold' | 'generic' | 'template';

async function round(kind: Round) {
  const server = await startTestServer(`bench-class-${kind}`, {
    logLevel: (process.env.BENCH_LOG ?? 'error') as 'error',
    instructorPassword: PASSWORD,
    limits: { maxSessions: LEARNERS + 5, maxNodesTotal: 3 * (LEARNERS + 5) },
    sessions: { eventPool: kind === 'template' ? 'template' : 'generic' },
    classroom: { checkIntervalSeconds: 0 },
  });
  // The server's own memory through the round (it runs in this process, with the benchmark's client).
  let highestRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (highestRss = Math.max(highestRss, process.memoryUsage().rss)), 1000);
  try {
    const result = await measure(server, kind, kind === 'cold' ? 0 : LEARNERS);
    highestRss = Math.max(highestRss, process.memoryUsage().rss);
    result.row['server RSS MiB (highest)'] = (highestRss / 2 ** 20).toFixed(0);
    result.figures.push({ name: `server RSS, highest, ${kind} class`, value: highestRss / 1e6, unit: 'MB', target: { atMost: 250 } });
    return result;
  } finally {
    clearInterval(sampler);
    await server.close();
  }
}

async function measure(server: Awaited<ReturnType<typeof startTestServer>>, kind: Round, warm: number) {
  const base = `${server.url}/api`;
  const { token: instructor } = await json(`${base}/instructor/login`, { method: 'POST', body: JSON.stringify({ password: PASSWORD }) });
  const event = await json(`${base}/instructor/events`, { method: 'POST', token: instructor, body: JSON.stringify({ name: 'bench', lessons: ['services'], capacity: LEARNERS, warmPool: warm }) });
  let poolFillS = 0;
  if (warm) {
    const started = performance.now();
    await server.sessions.warmUp();
    poolFillS = (performance.now() - started) / 1000;
    console.log(`${kind} warm pool for ${warm} learners ready in ${poolFillS.toFixed(1)} s (before class)`);
  }
  // Joins arrive spread over 10 s, as a class typing a code does. The join limit is per address, so each learner comes from their own.
  const started = performance.now();
  const joins = Array.from({ length: LEARNERS }, (_, i) =>
    new Promise((resolve) => setTimeout(resolve, (10_000 * i) / LEARNERS)).then(async () => {
      const t0 = performance.now();
      const joined = await json(`${base}/join`, { method: 'POST', body: JSON.stringify({ code: event.joinCode, name: `learner${i}` }), headers: { 'x-forwarded-for': `127.0.0.${i + 2}` } });
      return { joined, ms: performance.now() - t0 };
    }),
  );
  const results = await Promise.all(joins);
  const allReady = performance.now() - started;
  const waits = results.map((r) => r.ms);

  // Dashboard delay: a learner checks; how long until the instructor's stream shows it.
  const delays: number[] = [];
  const stream = await fetch(`${base}/instructor/events/${event.id}/stream`, { headers: { authorization: `Bearer ${instructor}` } });
  const reader = stream.body!.getReader();
  await reader.read(); // snapshot
  for (const { joined } of results.slice(0, 5)) {
    const t0 = performance.now();
    await json(`${base}/sessions/${joined.session.id}/checks`, { method: 'POST', token: joined.token, body: JSON.stringify({ lesson: 'services', step: 0 }) });
    for (;;) {
      const { value } = await reader.read();
      if (new TextDecoder().decode(value).includes(joined.learner.id)) break;
    }
    delays.push(performance.now() - t0);
  }
  await reader.cancel();

  const containers = await engine.listContainers(server.config.instance);
  const memory = await Promise.all(containers.map((c) => engine.memoryUsage(c.id)));
  const row: Record<string, string> = {
    round: warm ? `${kind} warm pool ${warm}` : 'cold',
    'pool fill s': warm ? poolFillS.toFixed(1) : '',
    'all ready s': (allReady / 1000).toFixed(1),
    'join median s': (median(waits) / 1000).toFixed(2),
    'join p95 s': (percentile(waits, 95) / 1000).toFixed(2),
    'nodes MiB total': (memory.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(0),
    'dashboard delay ms (median)': median(delays).toFixed(0),
  };
  const figures: Figure[] = warm
    ? [
        { name: `${kind} warm pool for ${warm} learners (swarm-1m2w) full`, value: poolFillS, unit: 's', target: { atMost: 120 } },
        { name: `${kind} warm class of ${LEARNERS}, all ready`, value: allReady / 1000, unit: 's' },
        { name: `${kind} warm class: join p95`, value: percentile(waits, 95) / 1000, unit: 's' },
      ]
    : [{ name: `cold class of ${LEARNERS}, all ready`, value: allReady / 1000, unit: 's', target: { atMost: 90 } }];
  return { row, figures };
}

const chosen = (process.env.ROUNDS ?? 'cold,generic').split(',').map((r) => r.trim()) as Round[];
const rounds = [];
for (const kind of chosen) rounds.push(await round(kind));
console.log(`\n${LEARNERS} learners, swarm-1m2w pre-formed each (the server runs in this process: its RSS includes the benchmark's client)\n`);
console.log(table(rounds.map((r) => r.row)));
report('classroom', rounds.flatMap((r) => r.figures));
