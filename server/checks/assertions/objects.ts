import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { Labels } from '../docker-types.js';
import type { FindingKey } from '../../../shared/i18n/render-finding.js';
import { compareCount, compareValue, finding, say, subject, type Finding, type Subject } from '../finding.js';
import { swarmUnreadable } from './unreadable.js';

export const STACK_LABEL = 'com.docker.stack.namespace';

/** Each expected label of a subject: missing, or compared with its value. */
export function compareLabels(of: Subject, actual: Labels | null | undefined, expected: Labels | undefined): Finding[] {
  return Object.entries(expected ?? {}).map(([key, value]) => {
    const got = actual?.[key];
    return got === undefined
      ? finding(false, `${key}=${value}`, 'unset', `${of.of}.labelMissing` as FindingKey, { ...of.params, label: key, expected: value })
      : compareValue(of, 'label', got, value, { label: key });
  });
}

function presence(of: Subject & { of: 'stack' | 'network' | 'secret' | 'config' }, exists: boolean, absent: boolean | undefined): Finding {
  if (absent) return finding(!exists, 'absent', exists ? 'present' : 'absent', exists ? `${of.of}.stillExists` : `${of.of}.missing`, of.params);
  return finding(exists, 'exists', exists ? 'present' : 'absent', exists ? `${of.of}.exists` : `${of.of}.missing`, of.params);
}

/** `stack: app` — the services, networks, configs and secrets labelled with the stack's namespace. */
export function evaluateStack(expected: AssertionOf<'stack'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const stack = subject('stack', expected.stack);
  const inStack = (labels: Labels | null | undefined) => labels?.[STACK_LABEL] === expected.stack;
  const services = ctx.swarm.services.filter((s) => inStack(s.Spec.Labels));
  const others = [...ctx.swarm.networks.map((n) => n.Labels), ...ctx.swarm.secrets.map((s) => s.Spec?.Labels), ...ctx.swarm.configs.map((c) => c.Spec?.Labels)];
  const exists = services.length > 0 || others.some(inStack);
  const findings = [presence(stack, exists, expected.absent)];
  if (expected.absent || !exists) return findings;
  return [...findings, ...compareCount(services.length, { count: expected.services }, (count) => say('stack.services', { stack: expected.stack, count }))];
}

/** `network: app-net` — a network as the managers see it. */
export function evaluateNetwork(expected: AssertionOf<'network'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const of = subject('network', expected.network);
  const network = ctx.swarm.networks.find((n) => n.Name === expected.network);
  const findings = [presence(of, network !== undefined, expected.absent)];
  if (!network || expected.absent) return findings;
  if (expected.driver !== undefined) findings.push(compareValue(of, 'driver', network.Driver, expected.driver));
  if (expected.scope !== undefined) findings.push(compareValue(of, 'scope', network.Scope, expected.scope));
  if (expected.attachable !== undefined) findings.push(compareValue(of, 'attachable', network.Attachable === true, expected.attachable));
  findings.push(...compareLabels(of, network.Labels, expected.labels));
  return findings;
}

/** `secret: name` or `config: name` — existence and labels; a secret's value is never read. */
export function evaluateSwarmObject(expected: AssertionOf<'secret'> | AssertionOf<'config'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const [kind, name] = expected.kind === 'secret' ? ['secret' as const, expected.secret] : ['config' as const, expected.config];
  const list = kind === 'secret' ? ctx.swarm.secrets : ctx.swarm.configs;
  const of = subject(kind, name);
  const object = list.find((o) => o.Spec?.Name === name);
  const findings = [presence(of, object !== undefined, expected.absent)];
  if (!object || expected.absent) return findings;
  return [...findings, ...compareLabels(of, object.Spec?.Labels, expected.labels)];
}
