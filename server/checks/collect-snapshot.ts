import type { ProbeSpecification } from './assertion-schema.js';
import { code } from './finding.js';
import { collectScript, parseProbeOutput, probeScript } from './collect-script.js';
import { probeFromReads } from './probe-from-reads.js';
import { NOT_NEEDED } from './probe-need.js';
import { planProbes, probeKey, type PlannedProbe } from './probe-plan.js';
import { FULL_READ, type ReadPlan } from './read-plan.js';
import { snapshotFromRaw, type ClusterSnapshot, type ProbeResult, type RawNodeAnswer, type RawSnapshot } from './snapshot.js';

/**
 * Runs a shell command on a node (inside the node container, as root). The session layer provides it, and may
 * provide `abortable` too: the same, but a command not started yet when `signal` aborts is left out (rejects).
 */
export type NodeExec = ((node: string, command: string) => Promise<{ exitCode: number; output: string }>) & {
  abortable?: (node: string, command: string, signal: AbortSignal) => Promise<{ exitCode: number; output: string }>;
};

/**
 * Reads one node's engine state, at least what `plan` asks for (a reader may read more); the default runs the
 * collect script through exec, which reads everything.
 */
export type NodeReader = (node: string, plan?: ReadPlan) => Promise<RawNodeAnswer>;

async function readNode(exec: NodeExec, node: string): Promise<RawNodeAnswer> {
  try {
    const { exitCode, output } = await exec(node, collectScript());
    const start = output.indexOf('{');
    if (start < 0) return { unreachable: `node ${code(node)} did not answer (exit ${exitCode}): ${output.trim().slice(0, 200) || 'no output'}` };
    return JSON.parse(output.slice(start)) as RawNodeAnswer;
  } catch (error) {
    return { unreachable: `node ${code(node)} is unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function runProbes(exec: NodeExec, node: string, probes: PlannedProbe[], signal?: AbortSignal): Promise<Record<string, ProbeResult>> {
  const results: Record<string, ProbeResult> = {};
  let lines: ReturnType<typeof parseProbeOutput> = [];
  let failure = '';
  try {
    const script = probeScript(probes.map((p) => p.command));
    lines = parseProbeOutput((await (signal && exec.abortable ? exec.abortable(node, script, signal) : exec(node, script))).output);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  probes.forEach((probe, index) => {
    const line = lines.find((l) => l.index === index);
    results[probe.key] = line
      ? { ran: true, exitCode: line.exitCode, output: line.output, node }
      : { ran: false, exitCode: -1, output: `the probe did not finish on ${code(node)}${failure ? `: ${failure}` : ''}`, node };
  });
  return results;
}

interface StartedProbes {
  results: Map<string, Promise<ProbeResult>>;
  /** Gives up the nodes' commands none of `wanted` is in, where they have not started yet. */
  keepOnly(wanted: ReadonlySet<string>): void;
}

/** Probes grouped by node, one exec per node, all nodes in parallel: each probe's result, as its node's exec ends. */
function startPlanned(exec: NodeExec, planned: PlannedProbe[]): StartedProbes {
  const byNode = new Map<string, PlannedProbe[]>();
  for (const probe of planned) byNode.set(probe.node, [...(byNode.get(probe.node) ?? []), probe]);
  const results = new Map<string, Promise<ProbeResult>>();
  const aborts: Array<[AbortController, PlannedProbe[]]> = [];
  for (const [node, list] of byNode) {
    const abort = new AbortController();
    aborts.push([abort, list]);
    const ran = runProbes(exec, node, list, abort.signal);
    for (const probe of list) results.set(probe.key, ran.then((r) => r[probe.key]));
  }
  return {
    results,
    keepOnly: (wanted) => {
      for (const [abort, list] of aborts) if (!list.some((probe) => wanted.has(probe.key))) abort.abort(new Error('not needed'));
    },
  };
}

async function runPlanned(exec: NodeExec, planned: PlannedProbe[]): Promise<Record<string, ProbeResult>> {
  const started = startPlanned(exec, planned).results;
  return Object.fromEntries(await Promise.all([...started].map(async ([key, result]) => [key, await result] as const)));
}

/**
 * Probes that can start before the nodes are read: those on a named node outside any service container,
 * planned as if every node were readable. Where the real plan agrees (the usual case), their result
 * is taken; where it does not (the node could not be read), it is dropped and the real plan decides.
 */
export function earlyProbes(probes: ProbeSpecification[], nodeNames: string[]): PlannedProbe[] {
  const assumed = { nodes: nodeNames.map((name) => ({ name, containers: [], volumes: [] })), probes: {} };
  return planProbes(probes.filter((p) => p.service === undefined), assumed).planned;
}

/** Which probes a run waits for, and which it starts alongside the reads (probe-need.ts). */
export interface ProbeNeeds {
  /**
   * After the engine reads, the keys of the probes whose results can still change a verdict; the others are
   * settled as not needed, and the run does not wait for them.
   */
  needed(snapshot: ClusterSnapshot): ReadonlySet<string>;
  /**
   * Whether a probe starts with the reads (faster where it is needed) rather than after them (nothing spent
   * where it is not: a started command costs the node's CPU, which the reads share). Unset: every one can.
   */
  startEarly?(key: string): boolean;
}

/**
 * Reads the whole cluster once: one read per node, all nodes in parallel, reading what `plan` asks for; probes
 * run alongside when they can (earlyProbes), the others after the reads (a probe in a service's container
 * needs them to know where its containers are); one the reads already answer is taken from them
 * (probe-from-reads.ts) without waiting for its command. With `needs`, only the probes it names are waited for
 * (an early one not named is left out if it has not started). Returns the raw answers, which is also the shape
 * of a recorded fixture.
 */
export async function collectRawSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader, plan: ReadPlan = FULL_READ, needs?: ProbeNeeds): Promise<RawSnapshot> {
  const read = reader ?? ((name: string) => readNode(exec, name));
  const early = earlyProbes(probes.filter((probe) => needs?.startEarly?.(probeKey(probe)) ?? true), nodeNames);
  const earlyRun = startPlanned(exec, early);
  const answers = await Promise.all(nodeNames.map(async (name) => [name, await read(name, plan)] as const));
  const raw: RawSnapshot = { nodes: Object.fromEntries(answers) };
  if (probes.length === 0) return raw;
  const snapshot = snapshotFromRaw(raw);
  const keys = needs?.needed(snapshot);
  const skipped: Record<string, ProbeResult> = {};
  for (const probe of probes) {
    if (keys && !keys.has(probeKey(probe))) skipped[probeKey(probe)] = { ran: false, exitCode: -1, output: NOT_NEEDED };
  }
  const fromReads: Record<string, ProbeResult> = {};
  const toRun = probes.filter((probe) => {
    if (keys && !keys.has(probeKey(probe))) return false;
    const answer = probeFromReads(probe, raw);
    if (answer) fromReads[probeKey(probe)] = answer;
    return !answer;
  });
  const { planned, settled } = planProbes(toRun, snapshot);
  const ranEarly = (probe: PlannedProbe) => early.some((e) => e.key === probe.key && e.node === probe.node && e.command === probe.command);
  // Early commands nobody waits for are left out where they have not started (a node's commands take turns).
  earlyRun.keepOnly(new Set(planned.filter(ranEarly).map((probe) => probe.key)));
  const [kept, late] = await Promise.all([
    Promise.all(planned.filter(ranEarly).map(async (probe) => [probe.key, await earlyRun.results.get(probe.key)!] as const)),
    runPlanned(exec, planned.filter((probe) => !ranEarly(probe))),
  ]);
  return { ...raw, probes: { ...skipped, ...fromReads, ...settled, ...Object.fromEntries(kept), ...late } };
}

export async function collectSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader, plan: ReadPlan = FULL_READ, needs?: ProbeNeeds): Promise<ClusterSnapshot> {
  return snapshotFromRaw(await collectRawSnapshot(exec, nodeNames, probes, reader, plan, needs));
}
