import type { ProbeSpecification } from './assertion-schema.js';
import type { ProbeResult, RawSnapshot } from './snapshot.js';

/**
 * A probe whose answer the engine reads already hold, so the run need not wait for the command: today one,
 * `docker node ls` on a manager whose engine refused the node list (a manager without quorum: "The swarm does
 * not have a leader"). The run has just asked that engine the same `GET /nodes`; the CLI prints such a
 * refusal as `Error response from daemon: <message>` and exits 1 (docker/cli's client wraps the engine's
 * trimmed message so), and the probe script keeps the output without its last newline. When the engine
 * answers with a list, the CLI's table is not rebuilt here: the command runs as any other probe.
 */
export function probeFromReads(spec: ProbeSpecification, raw: RawSnapshot): ProbeResult | undefined {
  if (spec.node === undefined || spec.service !== undefined || spec.command?.trim() !== 'docker node ls') return undefined;
  const answer = raw.nodes[spec.node];
  if (!answer || 'unreachable' in answer) return undefined;
  const refusal = answer.nodes;
  if (!refusal || typeof refusal !== 'object' || Array.isArray(refusal) || typeof (refusal as { message?: unknown }).message !== 'string') return undefined;
  return { ran: true, exitCode: 1, output: `Error response from daemon: ${(refusal as { message: string }).message.trim()}`, node: spec.node };
}
