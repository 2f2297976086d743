import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../../server/checks/check-schema.js';
import { collectRawSnapshot, type NodeExec } from '../../../server/checks/collect-snapshot.js';
import { evaluate } from '../../../server/checks/evaluate.js';
import { NOT_NEEDED, neededProbes, ProbeHistory } from '../../../server/checks/probe-need.js';
import { probeKey } from '../../../server/checks/probe-plan.js';
import { snapshotFromRaw } from '../../../server/checks/snapshot.js';
import { loadLessons } from '../../../server/lessons/load-lessons.js';
import { loadRaw } from './fixtures.js';

const lessons = [...(await loadLessons(fileURLToPath(new URL('../../../lessons/', import.meta.url)))).values()];
const FIXTURES = ['swarm-1m2w-services', 'swarm-1m2w-node3-down', 'single-inactive'];

describe('neededProbes', () => {
  it('leaves out a probe only where its check fails whatever the probe says, for every lesson check', () => {
    let skipped = 0;
    let needed = 0;
    for (const fixture of FIXTURES) {
      const snapshot = snapshotFromRaw(loadRaw(fixture));
      for (const lesson of lessons) {
        const checks = lesson.steps.flatMap((s) => s.checks) as Check[];
        const keys = neededProbes(checks, snapshot);
        for (const check of checks) {
          const probes = check.assertions.flatMap((a) => (a.kind === 'probe' ? [probeKey(a.probe)] : []));
          if (probes.length === 0) continue;
          // The check as if every probe passed: it still fails exactly when its probes were left out.
          const withoutProbes = { ...check, assertions: check.assertions.filter((a) => a.kind !== 'probe') };
          const passesWithoutProbes = withoutProbes.assertions.length === 0 || evaluate([withoutProbes], snapshot)[0].passed;
          const waited = probes.every((key) => keys.has(key));
          expect(waited, `${fixture} ${lesson.meta.id} ${check.title}`).toBe(passesWithoutProbes);
          if (waited) needed += 1;
          else skipped += 1;
        }
      }
    }
    // Both outcomes occur in the recorded states, so neither half of the rule goes untested.
    expect(skipped).toBeGreaterThan(0);
    expect(needed).toBeGreaterThan(0);
  });
});

describe('collectRawSnapshot with probes needed', () => {
  const raw = loadRaw('swarm-1m2w-services');
  const NEEDED = { node: 'node1', command: 'echo needed' };
  const NOT = { node: 'node2', command: 'sleep forever' };

  it('waits only for the probes named, and says why the others have no result', async () => {
    const ran: string[] = [];
    // node2's probe never answers: a run that waited for it would never finish.
    const exec: NodeExec = (node) => {
      ran.push(node);
      return node === 'node2' ? new Promise(() => undefined) : Promise.resolve({ exitCode: 0, output: `@@probe 0 0 ${Buffer.from('hi').toString('base64')}` });
    };
    const { probes } = await collectRawSnapshot(exec, ['node1', 'node2', 'node3'], [NEEDED, NOT], async (node) => raw.nodes[node], undefined, { needed: () => new Set([probeKey(NEEDED)]) });
    expect(ran.sort()).toEqual(['node1', 'node2']); // both started with the reads
    expect(probes![probeKey(NEEDED)]).toEqual({ ran: true, exitCode: 0, output: 'hi', node: 'node1' });
    expect(probes![probeKey(NOT)]).toEqual({ ran: false, exitCode: -1, output: NOT_NEEDED });
  });

  it('gives up the command of a probe nobody waits for, where the exec can leave it out', async () => {
    const signals = new Map<string, AbortSignal>();
    const exec = Object.assign(() => Promise.reject(new Error('the abortable form is used')), {
      abortable: (node: string, _command: string, signal: AbortSignal) => {
        signals.set(node, signal);
        return node === 'node2' ? new Promise<never>(() => undefined) : Promise.resolve({ exitCode: 0, output: `@@probe 0 0 ${Buffer.from('hi').toString('base64')}` });
      },
    });
    await collectRawSnapshot(exec, ['node1', 'node2', 'node3'], [NEEDED, NOT], async (node) => raw.nodes[node], undefined, { needed: () => new Set([probeKey(NEEDED)]) });
    expect(signals.get('node2')?.aborted).toBe(true);
    expect(signals.get('node1')?.aborted).toBe(false);
  });

  it('starts after the reads a probe not to start early, and still runs it when it turns out needed', async () => {
    const log: string[] = [];
    let reads = 0;
    const exec: NodeExec = async (node) => {
      log.push(`probe on ${node} after ${reads} reads`);
      return { exitCode: 0, output: `@@probe 0 0 ${Buffer.from('hi').toString('base64')}` };
    };
    const history = new ProbeHistory();
    history.record([probeKey(NEEDED)], new Set()); // its last run left it out
    expect(history.startEarly(probeKey(NEEDED))).toBe(false);
    const { probes } = await collectRawSnapshot(exec, ['node1', 'node2', 'node3'], [NEEDED], async (node) => (reads++, raw.nodes[node]), undefined,
      { needed: () => new Set([probeKey(NEEDED)]), startEarly: (key) => history.startEarly(key) });
    expect(log).toEqual(['probe on node1 after 3 reads']);
    expect(probes![probeKey(NEEDED)]).toMatchObject({ ran: true, output: 'hi' });
    history.record([probeKey(NEEDED)], new Set([probeKey(NEEDED)]));
    expect(history.startEarly(probeKey(NEEDED))).toBe(true);
  });
});
