import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { code, compareValue, finding, listOrNone, type Finding } from '../finding.js';
import { compareLabels } from './objects.js';
import { readableNode } from './unreadable.js';

/** `volume: data` (optionally `node: node2`) — volumes are local to a node, so each node's list is read. */
export function evaluateVolume(expected: AssertionOf<'volume'>, ctx: ClusterContext): Finding[] {
  const subject = `volume ${code(expected.volume)}`;
  const holders = ctx.snapshot.nodes.filter((n) => n.volumes.some((v) => v.Name === expected.volume)).map((n) => n.name);
  if (expected.node !== undefined) {
    const { node, problem } = readableNode(ctx, expected.node);
    if (!node) return problem ?? [];
    const volume = node.volumes.find((v) => v.Name === expected.volume);
    const on = ` on ${code(expected.node)}`;
    if (expected.absent) {
      return [finding(!volume, 'absent', volume ? 'present' : 'absent', volume ? `${subject} still exists${on}, expected it removed` : `${subject} does not exist${on}`)];
    }
    if (!volume) return [finding(false, `on ${expected.node}`, holders.join(', ') || 'none', `${subject} does not exist${on} (found on: ${listOrNone(holders)})`)];
    const findings = [finding(true, `on ${expected.node}`, expected.node, `${subject} exists${on}`)];
    if (expected.driver !== undefined) findings.push(compareValue(`${subject} driver`, volume.Driver, expected.driver));
    return [...findings, ...compareLabels(subject, volume.Labels, expected.labels)];
  }
  const unreadable = ctx.snapshot.nodes.filter((n) => n.error).map((n) => n.name);
  const caveat = unreadable.length ? `; unreadable nodes: ${listOrNone(unreadable)}` : '';
  if (expected.absent) {
    return [finding(holders.length === 0, 'absent', holders.join(', ') || 'none',
      holders.length ? `${subject} still exists on ${listOrNone(holders)}, expected it removed` : `${subject} does not exist on any node${caveat}`)];
  }
  if (holders.length === 0) return [finding(false, 'exists', 'none', `${subject} does not exist on any node${caveat}`)];
  const first = ctx.snapshot.nodes.find((n) => n.name === holders[0])?.volumes.find((v) => v.Name === expected.volume);
  const findings = [finding(true, 'exists', holders.join(', '), `${subject} exists on ${listOrNone(holders)}`)];
  if (expected.driver !== undefined) findings.push(compareValue(`${subject} driver`, first?.Driver, expected.driver));
  return [...findings, ...compareLabels(subject, first?.Labels, expected.labels)];
}
