import type { ProbeSpecification } from './assertion-schema.js';
import { code } from './finding.js';
import { collectScript, parseProbeOutput, probeScript } from './collect-script.js';
import { planProbes, type PlannedProbe } from './probe-plan.js';
import { FULL_READ, type ReadPlan } from './read-plan.js';
import { snapshotFromRaw, type ClusterSnapshot, type ProbeResult, type RawNodeAnswer, type RawSnapshot } from './snapshot.js';

/** Runs a shell command on a node (inside the node container, as root). The session layer provides it. */
export type NodeExec = (node: string, command: string) => Promise<{ exitCode: number; output: string }>;

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

async function runProbes(exec: NodeExec, node: string, probes: PlannedProbe[]): Promise<Record<string, ProbeResult>> {
  const results: Record<string, ProbeResult> = {};
  let lines: ReturnType<typeof parseProbeOutput> = [];
  let failure = '';
  try {
    lines = parseProbeOutput((await exec(node, probeScript(probes.map((p) => p.command)))).output);
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

/** Probes grouped by node, one exec per node, all nodes in parallel. */
async function runPlanned(exec: NodeExec, planned: PlannedProbe[]): Promise<Record<string, ProbeResult>> {
  const byNode = new Map<string, PlannedProbe[]>();
  for (const probe of planned) byNode.set(probe.node, [...(byNode.get(probe.node) ?? []), probe]);
  const ran = await Promise.all([...byNode].map(([node, list]) => runProbes(exec, node, list)));
  return Object.assign({}, ...ran);
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

/**
 * Reads the whole cluster once: one read per node, all nodes in parallel, reading what `plan` asks for; probes
 * run alongside when they can (earlyProbes), the others after the reads (a probe in a service's container
 * needs them to know where its containers are). Returns the raw answers, which is also the shape of a
 * recorded fixture.
 */
export async function collectRawSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader, plan: ReadPlan = FULL_READ): Promise<RawSnapshot> {
  const read = reader ?? ((name: string) => readNode(exec, name));
  const early = earlyProbes(probes, nodeNames);
  const [answers, earlyResults] = await Promise.all([
    Promise.all(nodeNames.map(async (name) => [name, await read(name, plan)] as const)),
    runPlanned(exec, early),
  ]);
  const raw: RawSnapshot = { nodes: Object.fromEntries(answers) };
  if (probes.length === 0) return raw;
  const { planned, settled } = planProbes(probes, snapshotFromRaw(raw));
  const ranEarly = (probe: PlannedProbe) => early.some((e) => e.key === probe.key && e.node === probe.node && e.command === probe.command);
  const late = await runPlanned(exec, planned.filter((probe) => !ranEarly(probe)));
  const kept = Object.fromEntries(planned.filter(ranEarly).map((probe) => [probe.key, earlyResults[probe.key]]));
  return { ...raw, probes: { ...settled, ...kept, ...late } };
}

export async function collectSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader, plan: ReadPlan = FULL_READ): Promise<ClusterSnapshot> {
  return snapshotFromRaw(await collectRawSnapshot(exec, nodeNames, probes, reader, plan));
}
