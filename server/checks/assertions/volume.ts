import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { compareValue, finding, subject, type Finding } from '../finding.js';
import { compareLabels } from './objects.js';
import { readableNode } from './unreadable.js';

/** `volume: data` (optionally `node: node2`) — volumes are local to a node, so each node's list is read. */
export function evaluateVolume(expected: AssertionOf<'volume'>, ctx: ClusterContext): Finding[] {
  const of = subject('volume', expected.volume);
  const holders = ctx.snapshot.nodes.filter((n) => n.volumes.some((v) => v.Name === expected.volume)).map((n) => n.name);
  if (expected.node !== undefined) {
    const { node, problem } = readableNode(ctx, expected.node);
    if (!node) return problem ?? [];
    const volume = node.volumes.find((v) => v.Name === expected.volume);
    const on = { ...of.params, node: expected.node };
    if (expected.absent) {
      return [volume ? finding(false, 'absent', 'present', 'volume.stillExistsOnNode', on) : finding(true, 'absent', 'absent', 'volume.missingOnNode', on)];
    }
    if (!volume) return [finding(false, `on ${expected.node}`, holders.join(', ') || 'none', 'volume.missingOnNodeFoundOn', { ...on, holders })];
    const findings = [finding(true, `on ${expected.node}`, expected.node, 'volume.existsOnNode', on)];
    if (expected.driver !== undefined) findings.push(compareValue(of, 'driver', volume.Driver, expected.driver));
    return [...findings, ...compareLabels(of, volume.Labels, expected.labels)];
  }
  const unreadable = ctx.snapshot.nodes.filter((n) => n.error).map((n) => n.name);
  const nowhere = unreadable.length ? { key: 'volume.missingEverywhereUnreadable', params: { ...of.params, unreadable } } as const
    : { key: 'volume.missingEverywhere', params: of.params } as const;
  if (expected.absent) {
    return [holders.length
      ? finding(false, 'absent', holders.join(', '), 'volume.stillExistsOn', { ...of.params, holders })
      : finding(true, 'absent', 'none', nowhere.key, nowhere.params)];
  }
  if (holders.length === 0) return [finding(false, 'exists', 'none', nowhere.key, nowhere.params)];
  const first = ctx.snapshot.nodes.find((n) => n.name === holders[0])?.volumes.find((v) => v.Name === expected.volume);
  const findings = [finding(true, 'exists', holders.join(', '), 'volume.existsOn', { ...of.params, holders })];
  if (expected.driver !== undefined) findings.push(compareValue(of, 'driver', first?.Driver, expected.driver));
  return [...findings, ...compareLabels(of, first?.Labels, expected.labels)];
}
