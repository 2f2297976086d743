// Runs every benchmark in sequence (each in its own process, so one's nodes and memory never skew the next),
// then prints one table of figures with their targets and baselines and writes it as JSON.
//   npm run bench                       all of them (about 40 minutes on 2 cores, the 10-minute soak included; run on a quiet machine)
//   SOAK_MINUTES=2 npm run bench -- --only soak                       a shorter soak
//   npm run bench -- --only terminal-latency,checks --out /tmp/bench.json
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { REPORT_PREFIX, meets, table, type Figure } from './lib.js';

const ALL = ['sessions', 'node-cost', 'terminal-latency', 'checks', 'chaos', 'classroom', 'soak'];
const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string', default: 'docs/benchmarks.json' } } });
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : ALL;
const unknown = chosen.filter((name) => !ALL.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}

/** Runs one benchmark, passing its output through, and returns the figures it reported. */
function runOne(name: string): Promise<{ figures: Figure[]; ok: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(`./${name}.ts`, import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures: Figure[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(REPORT_PREFIX)) figures.push(...(JSON.parse(line.slice(REPORT_PREFIX.length)) as { figures: Figure[] }).figures);
        else console.log(`  [${name}] ${line}`);
      }
    });
    child.on('close', (code) => resolve({ figures, ok: code === 0 }));
  });
}

const results: Array<{ bench: string; ok: boolean; figures: Figure[] }> = [];
for (const name of chosen) {
  console.log(`\n== ${name}`);
  const started = performance.now();
  const { figures, ok } = await runOne(name);
  console.log(`== ${name}: ${ok ? 'done' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  results.push({ bench: name, ok, figures });
}

const round = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const targetText = (f: Figure) => (!f.target ? '' : 'atMost' in f.target ? `≤ ${round(f.target.atMost)}` : `≥ ${round(f.target.atLeast)}`);
const rows = results.flatMap(({ bench, figures }) =>
  figures.map((f) => ({
    bench,
    figure: f.name,
    value: `${round(f.value)} ${f.unit}`,
    target: targetText(f),
    baseline: f.baseline ? `${round(f.baseline.value)} (${f.baseline.name})` : '',
    met: meets(f) === undefined ? '' : meets(f) ? 'yes' : 'NO',
  })),
);
console.log(`\n${rows.length ? table(rows) : 'no figures reported'}`);
const failed = results.filter((r) => !r.ok).map((r) => r.bench);
if (failed.length) console.log(`\nbenchmarks that failed to run: ${failed.join(', ')}`);
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify({ measuredAt: new Date().toISOString(), results: results.map((r) => ({ ...r, figures: r.figures.map((f) => ({ ...f, met: meets(f) })) })) }, null, 2)}\n`);
console.log(`\nwritten to ${values.out}`);
process.exit(failed.length ? 1 : 0);
