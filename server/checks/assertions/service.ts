import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { SwarmService } from '../docker-types.js';
import { code, compareValue, finding, type Finding } from '../finding.js';
import { normalizeImage } from './image-name.js';
import { compareConstraints, compareFiles, compareNetworks, comparePorts } from './service-attachments.js';
import { STACK_LABEL } from './objects.js';
import { comparePolicy, compareResources, compareRestart } from './service-policy.js';
import { swarmUnreadable } from './unreadable.js';
import { compareRollback } from './update-history.js';

type Expectation = AssertionOf<'service'>;

/** Tasks that are running and meant to be: a task being shut down no longer counts as a replica. */
export function runningTasks(service: SwarmService, ctx: ClusterContext) {
  return (ctx.swarm?.tasks ?? []).filter((t) => t.ServiceID === service.ID && t.Status?.State === 'running' && t.DesiredState === 'running');
}

function compareReplicas(subject: string, service: SwarmService, expected: Expectation, ctx: ClusterContext): Finding[] {
  const findings: Finding[] = [];
  // A spec without a mode is replicated, and a replicated mode without a count runs one task (the engine's defaults).
  const desired = service.Spec.Mode?.Global ? undefined : service.Spec.Mode?.Replicated?.Replicas ?? 1;
  if (expected.replicas !== undefined) {
    findings.push(desired === undefined
      ? finding(false, String(expected.replicas), 'global', `${subject} runs in global mode, expected ${expected.replicas} replicas`)
      : compareValue(`${subject} desired replicas`, desired, expected.replicas));
  }
  if (expected.running !== undefined) {
    const running = runningTasks(service, ctx).length;
    const ok = running === expected.running;
    const of = desired ?? expected.running;
    const said = `${subject} ${running} of ${of} replicas running`;
    findings.push(finding(ok, String(expected.running), String(running), ok || of === expected.running ? said : `${said}, expected ${expected.running}`));
  }
  return findings;
}

function compareContainer(subject: string, service: SwarmService, expected: Expectation): Finding[] {
  const container = service.Spec.TaskTemplate?.ContainerSpec;
  const findings: Finding[] = [];
  if (expected.image !== undefined) {
    findings.push(compareValue(`${subject} image`, normalizeImage(container?.Image ?? 'none'), normalizeImage(expected.image)));
  }
  for (const [key, value] of Object.entries(expected.env ?? {})) {
    const entry = (container?.Env ?? []).find((e) => e.startsWith(`${key}=`));
    findings.push(entry === undefined
      ? finding(false, `${key}=${value}`, 'unset', `${subject} env ${code(key)} is not set, expected ${code(value)}`)
      : compareValue(`${subject} env ${code(key)}`, entry.slice(key.length + 1), value));
  }
  if (expected.healthcheck !== undefined) {
    const test = container?.Healthcheck?.Test ?? [];
    const has = test.length > 0 && test[0] !== 'NONE';
    const word = (h: boolean) => (h ? 'a healthcheck' : 'no healthcheck');
    findings.push(finding(has === expected.healthcheck, word(expected.healthcheck), word(has),
      has === expected.healthcheck ? `${subject} has ${word(has)} in its spec` : `${subject} has ${word(has)} in its spec, expected ${word(expected.healthcheck)}`));
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

function compareStack(subject: string, service: SwarmService, stack: string): Finding {
  const actual = service.Spec.Labels?.[STACK_LABEL];
  const ok = actual === stack;
  return finding(ok, stack, actual ?? 'none', ok ? `${subject} belongs to stack ${code(stack)}`
    : actual ? `${subject} belongs to stack ${code(actual)}, expected stack ${code(stack)}`
      : `${subject} was not deployed by a stack, expected it deployed with \`docker stack deploy\` as stack ${code(stack)}`);
}

/** `service: web` — the service's spec and how many of its replicas run. */
export function evaluateService(expected: Expectation, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const subject = `service ${code(expected.service)}:`;
  const service = findService(ctx, expected.service, expected.stack);
  if (expected.absent) {
    return [finding(!service, 'absent', service ? 'present' : 'absent',
      service ? `service ${code(expected.service)} still exists, expected it removed` : `service ${code(expected.service)} does not exist`)];
  }
  if (!service) return [finding(false, 'exists', 'absent', `service ${code(expected.service)} does not exist`)];
  const spec = service.Spec;
  const findings: Finding[] = [];
  if (expected.stack !== undefined) findings.push(compareStack(subject, service, expected.stack));
  if (expected.mode !== undefined) findings.push(compareValue(`${subject} mode`, spec.Mode?.Global ? 'global' : 'replicated', expected.mode));
  findings.push(...compareReplicas(subject, service, expected, ctx));
  findings.push(...compareContainer(subject, service, expected));
  if (expected.ports) findings.push(...comparePorts(subject, service, expected.ports));
  if (expected.constraints) findings.push(...compareConstraints(subject, service, expected.constraints));
  if (expected.update) findings.push(...comparePolicy(`${subject} update`, spec.UpdateConfig, expected.update));
  if (expected.rollback) findings.push(...comparePolicy(`${subject} rollback`, spec.RollbackConfig, expected.rollback));
  if (expected.update_state !== undefined) findings.push(compareValue(`${subject} update state`, service.UpdateStatus?.State ?? 'none', expected.update_state));
  if (expected.rolled_back !== undefined) findings.push(compareRollback(subject, service, expected.rolled_back, ctx));
  if (expected.restart) findings.push(...compareRestart(`${subject} restart`, spec.TaskTemplate?.RestartPolicy, expected.restart));
  const container = spec.TaskTemplate?.ContainerSpec;
  if (expected.secrets) findings.push(...compareFiles(subject, 'secret', container?.Secrets ?? [], expected.secrets));
  if (expected.configs) findings.push(...compareFiles(subject, 'config', container?.Configs ?? [], expected.configs));
  if (expected.networks) findings.push(...compareNetworks(subject, service, expected.networks, ctx));
  if (expected.limits) findings.push(...compareResources(`${subject} limit`, spec.TaskTemplate?.Resources?.Limits, expected.limits));
  if (expected.reservations) findings.push(...compareResources(`${subject} reservation`, spec.TaskTemplate?.Resources?.Reservations, expected.reservations));
  if (expected.endpoint_mode !== undefined) findings.push(compareValue(`${subject} endpoint mode`, spec.EndpointSpec?.Mode ?? 'vip', expected.endpoint_mode));
  for (const [key, value] of Object.entries(expected.labels ?? {})) {
    const actual = spec.Labels?.[key];
    findings.push(actual === undefined
      ? finding(false, `${key}=${value}`, 'unset', `${subject} has no label ${code(key)}, expected ${code(value)}`)
      : compareValue(`${subject} label ${code(key)}`, actual, value));
  }
  if (findings.length === 0) findings.push(finding(true, 'exists', 'present', `service ${code(expected.service)} exists`));
  return findings;
}
