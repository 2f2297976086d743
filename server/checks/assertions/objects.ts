import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { Labels } from '../docker-types.js';
import { code, compareCount, compareValue, finding, type Finding } from '../finding.js';
import { swarmUnreadable } from './unreadable.js';

export const STACK_LABEL = 'com.docker.stack.namespace';

export function compareLabels(subject: string, actual: Labels | null | undefined, expected: Labels | undefined): Finding[] {
  return Object.entries(expected ?? {}).map(([key, value]) => {
    const got = actual?.[key];
    return got === undefined
      ? finding(false, `${key}=${value}`, 'unset', `${subject} has no label ${code(key)}, expected ${code(value)}`)
      : compareValue(`${subject} label ${code(key)}`, got, value);
  });
}

function presence(subject: string, exists: boolean, absent: boolean | undefined): Finding {
  if (absent) return finding(!exists, 'absent', exists ? 'present' : 'absent', exists ? `${subject} still exists, expected it removed` : `${subject} does not exist`);
  return finding(exists, 'exists', exists ? 'present' : 'absent', exists ? `${subject} exists` : `${subject} does not exist`);
}

/** `stack: app` — the services, networks, configs and secrets labelled with the stack's namespace. */
export function evaluateStack(expected: AssertionOf<'stack'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const subject = `stack ${code(expected.stack)}`;
  const inStack = (labels: Labels | null | undefined) => labels?.[STACK_LABEL] === expected.stack;
  const services = ctx.swarm.services.filter((s) => inStack(s.Spec.Labels));
  const others = [...ctx.swarm.networks.map((n) => n.Labels), ...ctx.swarm.secrets.map((s) => s.Spec?.Labels), ...ctx.swarm.configs.map((c) => c.Spec?.Labels)];
  const exists = services.length > 0 || others.some(inStack);
  const findings = [presence(subject, exists, expected.absent)];
  if (expected.absent || !exists) return findings;
  return compareCount(services.length, { count: expected.services }, (n) => `${subject} has ${n} service${n === 1 ? '' : 's'}`);
}

/** `network: app-net` — a network as the managers see it. */
export function evaluateNetwork(expected: AssertionOf<'network'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const subject = `network ${code(expected.network)}`;
  const network = ctx.swarm.networks.find((n) => n.Name === expected.network);
  const findings = [presence(subject, network !== undefined, expected.absent)];
  if (!network || expected.absent) return findings;
  if (expected.driver !== undefined) findings.push(compareValue(`${subject} driver`, network.Driver, expected.driver));
  if (expected.scope !== undefined) findings.push(compareValue(`${subject} scope`, network.Scope, expected.scope));
  if (expected.attachable !== undefined) findings.push(compareValue(`${subject} attachable`, network.Attachable === true, expected.attachable));
  findings.push(...compareLabels(subject, network.Labels, expected.labels));
  return findings;
}

/** `secret: name` or `config: name` — existence and labels; a secret's value is never read. */
export function evaluateSwarmObject(expected: AssertionOf<'secret'> | AssertionOf<'config'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const [kind, name] = expected.kind === 'secret' ? ['secret', expected.secret] : ['config', expected.config];
  const list = kind === 'secret' ? ctx.swarm.secrets : ctx.swarm.configs;
  const subject = `${kind} ${code(name)}`;
  const object = list.find((o) => o.Spec?.Name === name);
  const findings = [presence(subject, object !== undefined, expected.absent)];
  if (!object || expected.absent) return findings;
  return [...findings, ...compareLabels(subject, object.Spec?.Labels, expected.labels)];
}
