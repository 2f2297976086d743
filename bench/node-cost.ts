// What an idle node costs (CPU and memory) and what one node start costs, for one or more node images measured
// side by side in the same conditions: per image and round, a three-node swarm formed as the server forms one
// (server/sessions/swarm-former.ts) and a lone node, started through the server's node backend (same confinement).
//   npx tsx bench/node-cost.ts                                     the configured node image, 3 rounds
//   npx tsx bench/node-cost.ts swarm-workshop/node:latest swarm-workshop/node-idle:latest
//   BENCH_RUNS=5 IDLE_WINDOW_S=60 npx tsx bench/node-cost.ts ...   more rounds, a longer window
//   npx tsx bench/node-cost.ts IMAGE IMAGE+heartbeat=20s          the same image, its swarm's dispatcher heartbeat changed
//   npx tsx bench/node-cost.ts --hold 300 IMAGE...                 keeps one round's nodes for 300 s first (for profiling)
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { DockerEngine } from '../server/engine/docker-engine.js';
import { createLogger } from '../server/logger.js';
import { DockerNodeBackend } from '../server/nodes/docker-node-backend.js';
import type { SessionNode } from '../server/sessions/session.js';
import { formSwarmAsReady } from '../server/sessions/swarm-former.js';
import { RUNS, median, report, table, type Figure } from './lib.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { hold: { type: 'string' } } });
const SETTLE_MS = Number(process.env.SETTLE_S ?? 15) * 1000;
const WINDOW_MS = Number(process.env.IDLE_WINDOW_S ?? 30) * 1000;
const config = loadConfig({ env: process.env, overrides: { instance: 'bench-node-cost' } });
const images = positionals.length ? positionals : [`${config.images.node}:latest`];
const engine = new DockerEngine();
type Role = 'manager' | 'worker' | 'engine';

interface Sample {
  role: Role;
  cpuPercent: number;
  mib: number;
}
interface Round {
  samples: Sample[];
  /** CPU seconds the lone node used from its start to `node-ready`. */
  startCpu: number;
  /** `swarm init`, the tokens and two joins. */
  formMs: number;
  load: number;
}

interface Started {
  nodes: Array<{ id: string; name: string; role: Role }>;
  startCpu: number;
  formMs: number;
}

/** A lone node and a formed three-node swarm of one image, on a network of their own. */
async function start(variant: string): Promise<Started> {
  const [image, heartbeat] = variant.split('+heartbeat=');
  const backend = new DockerNodeBackend(engine, config, createLogger('silent'), image);
  const sessionId = `nc${Math.random().toString(36).slice(2, 10)}`;
  const network = await backend.createNetwork(sessionId);
  const lone = await backend.createNode(sessionId, network, 'lone');
  const startCpu = await engine.cpuSeconds(lone.id);
  const swarm: SessionNode[] = [];
  for (const [index, role] of (['manager', 'worker', 'worker'] as const).entries()) swarm.push({ ...(await backend.createNode(sessionId, network, `node${index + 1}`)), role });
  const formStart = performance.now();
  // The nodes are all up already: formation alone is timed.
  await formSwarmAsReady(swarm.map((node) => Promise.resolve(node)), (node, command) => backend.exec(node, command, { timeoutMs: 60_000, maxOutputBytes: 65536 }));
  const formMs = performance.now() - formStart;
  if (heartbeat) {
    const updated = await backend.exec(swarm[0], `docker swarm update --dispatcher-heartbeat ${heartbeat}`, { timeoutMs: 30_000, maxOutputBytes: 65536 });
    if (updated.exitCode !== 0) throw new Error(`could not set the heartbeat: ${updated.output}`);
  }
  return { nodes: [...swarm.map((n) => ({ ...n, role: n.role! })), { ...lone, role: 'engine' }], startCpu, formMs };
}

/** CPU (the cgroup's counter over the window) and memory (sampled across it, as docker stats counts it). */
async function measure(started: Started): Promise<Sample[]> {
  const { nodes } = started;
  const before = await Promise.all(nodes.map((n) => engine.cpuSeconds(n.id)));
  const t0 = performance.now();
  const memory: number[][] = nodes.map(() => []);
  while (performance.now() - t0 < WINDOW_MS) {
    const usage = await Promise.all(nodes.map((n) => engine.memoryUsage(n.id)));
    usage.forEach((bytes, i) => memory[i].push(bytes / 2 ** 20));
    await sleep(Math.min(5000, WINDOW_MS / 5));
  }
  const after = await Promise.all(nodes.map((n) => engine.cpuSeconds(n.id)));
  const seconds = (performance.now() - t0) / 1000;
  return nodes.map((n, i) => ({ role: n.role, cpuPercent: ((after[i] - before[i]) / seconds) * 100, mib: median(memory[i]) }));
}

/**
 * One round: every image's nodes started one image after the other, then all measured in the same window, so
 * the machine's load (shared with other work) touches every image alike.
 */
async function round(holdSeconds?: number): Promise<Map<string, Round>> {
  const started = new Map<string, Started>();
  try {
    for (const image of images) started.set(image, await start(image));
    if (holdSeconds) {
      for (const [image, { nodes }] of started) console.log(`${image}:\n${nodes.map((n) => `  ${n.role} ${n.name}: docker exec -it ${n.id.slice(0, 12)} bash`).join('\n')}`);
      console.log(`holding for ${holdSeconds} s`);
      await sleep(holdSeconds * 1000);
    }
    await sleep(SETTLE_MS);
    const load = loadavg()[0];
    const samples = await Promise.all([...started.values()].map(measure));
    const result = new Map<string, Round>();
    [...started.entries()].forEach(([image, s], i) => result.set(image, { samples: samples[i], startCpu: s.startCpu, formMs: s.formMs, load: (load + loadavg()[0]) / 2 }));
    return result;
  } finally {
    await sweep();
  }
}

/** Removes every node and network of this benchmark's instance (a run that failed may have left some). */
function sweep() {
  return new DockerNodeBackend(engine, config, createLogger('silent')).sweep(new Set());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await sweep();
if (values.hold) {
  await round(Number(values.hold));
  process.exit(0);
}

const results = new Map<string, Round[]>(images.map((image) => [image, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [image, result] of await round()) {
    results.get(image)!.push(result);
    const cells = result.samples.map((s) => `${s.role} ${s.cpuPercent.toFixed(2)} % ${s.mib.toFixed(1)} MiB`).join(', ');
    console.log(`round ${run + 1} ${image}: ${cells}; start ${result.startCpu.toFixed(2)} CPU-s; formed in ${Math.round(result.formMs)} ms; load ${result.load.toFixed(2)}`);
  }
}

const figures: Figure[] = [];
const rows: Array<Record<string, string>> = [];
const targets: Record<Role, { cpu: number; mib?: number }> = { manager: { cpu: 0.3, mib: 80 }, worker: { cpu: 0.3, mib: 40 }, engine: { cpu: 0.3 } };
for (const [image, rounds] of results) {
  const row: Record<string, string> = { image };
  for (const role of ['manager', 'worker', 'engine'] as const) {
    const of = rounds.flatMap((r) => r.samples.filter((s) => s.role === role));
    const cpu = median(of.map((s) => s.cpuPercent));
    const mib = median(of.map((s) => s.mib));
    row[`${role} CPU %`] = cpu.toFixed(2);
    row[`${role} MiB`] = mib.toFixed(1);
    if (image === images.at(-1)) {
      figures.push({ name: `idle ${role} CPU (node-cost)`, value: cpu, unit: '% of a core', target: { atMost: targets[role].cpu } });
      figures.push({ name: `idle ${role} memory (node-cost)`, value: mib, unit: 'MiB', ...(targets[role].mib ? { target: { atMost: targets[role].mib } } : {}) });
    }
  }
  row['start CPU-s'] = median(rounds.map((r) => r.startCpu)).toFixed(2);
  row['form ms'] = Math.round(median(rounds.map((r) => r.formMs))).toString();
  row['load'] = rounds.map((r) => r.load.toFixed(1)).join(' ');
  rows.push(row);
}
console.log(`\nmedians of ${RUNS} rounds (CPU over ${WINDOW_MS / 1000} s after ${SETTLE_MS / 1000} s to settle; memory: cgroup usage less inactive file cache):\n${table(rows)}`);
report('node-cost', figures);
