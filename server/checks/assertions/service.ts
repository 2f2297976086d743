import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { SwarmService } from '../docker-types.js';
import { compareValue, finding, subject, type Finding, type Subject } from '../finding.js';
import { normalizeImage } from './image-name.js';
import { compareConstraints, compareFiles, compareNetworks, comparePorts } from './service-attachments.js';
import { compareLabels, STACK_LABEL } from './objects.js';
import { comparePolicy, compareResources, compareRestart } from './service-policy.js';
import { swarmUnreadable } from './unreadable.js';
import { compareRollback } from './update-history.js';

type Expectation = AssertionOf<'service'>;

/** Tasks that are running and meant to be: a task being shut down no longer counts as a replica. */
export function runningTasks(service: SwarmService, ctx: ClusterContext) {
  return (ctx.swarm?.tasks ?? []).filter((t) => t.ServiceID === service.ID && t.Status?.State === 'running' && t.DesiredState === 'running');
}

function compareReplicas(of: Subject, service: SwarmService, expected: Expectation, ctx: ClusterContext): Finding[] {
  const findings: Finding[] = [];
  // A spec without a mode is replicated, and a replicated mode without a count runs one task (the engine's defaults).
  const desired = service.Spec.Mode?.Global ? undefined : service.Spec.Mode?.Replicated?.Replicas ?? 1;
  if (expected.replicas !== undefined) {
    findings.push(desired === undefined
      ? finding(false, String(expected.replicas), 'global', 'service.globalNotReplicated', { ...of.params, wanted: expected.replicas })
      : compareValue(of, 'replicas', desired, expected.replicas));
  }
  if (expected.running !== undefined) {
    const running = runningTasks(service, ctx).length;
    const ok = running === expected.running;
    const wanted = desired ?? expected.running;
    const counts = { ...of.params, running, desired: wanted };
    findings.push(ok || wanted === expected.running
      ? finding(ok, String(expected.running), String(running), 'service.replicasRunning', counts)
      : finding(false, String(expected.running), String(running), 'service.replicasRunningWanted', { ...counts, wanted: expected.running }));
  }
  return findings;
}

function compareContainer(of: Subject, service: SwarmService, expected: Expectation): Finding[] {
  const container = service.Spec.TaskTemplate?.ContainerSpec;
  const findings: Finding[] = [];
  if (expected.image !== undefined) {
    findings.push(compareValue(of, 'image', normalizeImage(container?.Image ?? 'none'), normalizeImage(expected.image)));
  }
  for (const [key, value] of Object.entries(expected.env ?? {})) {
    const entry = (container?.Env ?? []).find((e) => e.startsWith(`${key}=`));
    findings.push(entry === undefined
      ? finding(false, `${key}=${value}`, 'unset', 'service.envMissing', { ...of.params, variable: key, expected: value })
      : compareValue(of, 'env', entry.slice(key.length + 1), value, { variable: key }));
  }
  if (expected.healthcheck !== undefined) {
    const test = container?.Healthcheck?.Test ?? [];
    const has = test.length > 0 && test[0] !== 'NONE';
    const word = (h: boolean) => (h ? 'a healthcheck' : 'no healthcheck');
    const said = has === expected.healthcheck ? (has ? 'present' : 'absent') : has ? 'presentUnwanted' : 'absentWanted';
    findings.push(finding(has === expected.healthcheck, word(expected.healthcheck), word(has), `service.healthcheck.${said}`, of.params));
  }
  return findings;
}

/**
 * Finds the service a check names. The name is the one `docker service ls` shows, so a stack's service is
 * `app_web`, and a service created by hand as `app_web` is the same service to every check: a stack is
 * required only by an explicit `stack: app`. With `stack:` the short name works too (`service: web`).
 */
export function findService(ctx: ClusterContext, name: string, stack: string | undefined): SwarmService | undefined {
  return ctx.service(name) ?? (stack !== undefined ? ctx.service(`${stack}_${name}`) : undefined);
}

function compareStack(of: Subject, service: SwarmService, stack: string): Finding {
  const actual = service.Spec.Labels?.[STACK_LABEL];
  const ok = actual === stack;
  if (ok) return finding(true, stack, actual, 'service.inStack', { ...of.params, stack });
  return actual ? finding(false, stack, actual, 'service.otherStack', { ...of.params, stack, actual })
    : finding(false, stack, 'none', 'service.notFromStack', { ...of.params, stack });
}

/** `service: web` — the service's spec and how many of its replicas run. */
export function evaluateService(expected: Expectation, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const of = subject('service', expected.service);
  const service = findService(ctx, expected.service, expected.stack);
  if (expected.absent) {
    return [service ? finding(false, 'absent', 'present', 'service.stillExists', of.params) : finding(true, 'absent', 'absent', 'service.missing', of.params)];
  }
  if (!service) return [finding(false, 'exists', 'absent', 'service.missing', of.params)];
  const spec = service.Spec;
  const findings: Finding[] = [];
  if (expected.stack !== undefined) findings.push(compareStack(of, service, expected.stack));
  if (expected.mode !== undefined) findings.push(compareValue(of, 'mode', spec.Mode?.Global ? 'global' : 'replicated', expected.mode));
  findings.push(...compareReplicas(of, service, expected, ctx));
  findings.push(...compareContainer(of, service, expected));
  if (expected.ports) findings.push(...comparePorts(of, service, expected.ports));
  if (expected.constraints) findings.push(...compareConstraints(of, service, expected.constraints));
  if (expected.update) findings.push(...comparePolicy(of, 'update', spec.UpdateConfig, expected.update));
  if (expected.rollback) findings.push(...comparePolicy(of, 'rollback', spec.RollbackConfig, expected.rollback));
  if (expected.update_state !== undefined) findings.push(compareValue(of, 'updateState', service.UpdateStatus?.State ?? 'none', expected.update_state));
  if (expected.rolled_back !== undefined) findings.push(compareRollback(of, service, expected.rolled_back, ctx));
  if (expected.restart) findings.push(...compareRestart(of, spec.TaskTemplate?.RestartPolicy, expected.restart));
  const container = spec.TaskTemplate?.ContainerSpec;
  if (expected.secrets) findings.push(...compareFiles(of, 'secret', container?.Secrets ?? [], expected.secrets));
  if (expected.configs) findings.push(...compareFiles(of, 'config', container?.Configs ?? [], expected.configs));
  if (expected.networks) findings.push(...compareNetworks(of, service, expected.networks, ctx));
  if (expected.limits) findings.push(...compareResources(of, 'limit', spec.TaskTemplate?.Resources?.Limits, expected.limits));
  if (expected.reservations) findings.push(...compareResources(of, 'reservation', spec.TaskTemplate?.Resources?.Reservations, expected.reservations));
  if (expected.endpoint_mode !== undefined) findings.push(compareValue(of, 'endpointMode', spec.EndpointSpec?.Mode ?? 'vip', expected.endpoint_mode));
  findings.push(...compareLabels(of, spec.Labels, expected.labels));
  if (findings.length === 0) findings.push(finding(true, 'exists', 'present', 'service.exists', of.params));
  return findings;
}
