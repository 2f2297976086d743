import type { ProbeSpecification } from './assertion-schema.js';
import { code } from './finding.js';
import { collectScript, parseProbeOutput, probeScript } from './collect-script.js';
import { planProbes } from './probe-plan.js';
import { snapshotFromRaw, type ClusterSnapshot, type ProbeResult, type RawNodeAnswer, type RawSnapshot } from './snapshot.js';

/** Runs a shell command on a node (inside the node container, as root). The session layer provides it. */
export type NodeExec = (node: string, command: string) => Promise<{ exitCode: number; output: string }>;

/** Reads one node's engine state; the default runs the collect script through exec. */
export type NodeReader = (node: string) => Promise<RawNodeAnswer>;

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

async function runProbes(exec: NodeExec, node: string, probes: { key: string; command: string }[]): Promise<Record<string, ProbeResult>> {
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

/**
 * Reads the whole cluster once: one exec per node, all nodes in parallel, then one more exec per node that
 * has probes to run (they need the first pass to know where a service's containers are). Returns the raw
 * answers, which is also the shape of a recorded fixture.
 */
export async function collectRawSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader): Promise<RawSnapshot> {
  const read = reader ?? ((name: string) => readNode(exec, name));
  const answers = await Promise.all(nodeNames.map(async (name) => [name, await read(name)] as const));
  const raw: RawSnapshot = { nodes: Object.fromEntries(answers) };
  if (probes.length === 0) return raw;
  const { planned, settled } = planProbes(probes, snapshotFromRaw(raw));
  const byNode = new Map<string, typeof planned>();
  for (const probe of planned) byNode.set(probe.node, [...(byNode.get(probe.node) ?? []), probe]);
  const ran = await Promise.all([...byNode].map(([node, list]) => runProbes(exec, node, list)));
  return { ...raw, probes: Object.assign({}, settled, ...ran) };
}

export async function collectSnapshot(exec: NodeExec, nodeNames: string[], probes: ProbeSpecification[] = [], reader?: NodeReader): Promise<ClusterSnapshot> {
  return snapshotFromRaw(await collectRawSnapshot(exec, nodeNames, probes, reader));
}
