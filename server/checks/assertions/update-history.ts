import type { ClusterContext } from '../cluster-context.js';
import type { SwarmService } from '../docker-types.js';
import type { FindingKey } from '../../../shared/i18n/render-finding.js';
import { finding, say, type Finding, type Subject } from '../finding.js';

export type RollbackCause = 'automatic' | 'manual' | 'none';

const ROLLBACK_STATES = new Set(['rollback_started', 'rollback_paused', 'rollback_completed']);
const AUTOMATIC = /^update rolled back due to failure or early termination of task (\S+)/;
const MANUAL = 'manually requested rollback';

/**
 * How the engine says the service's last update ended, read from what swarmkit keeps (dockerd 20.10):
 * - a rollback the failure action started: UpdateStatus message "update rolled back due to failure or early
 *   termination of task <id>", and the updater sets `PreviousSpec` to nil;
 * - `docker service rollback` (or `update --rollback`): message "manually requested rollback", and
 *   controlapi swaps the specs, so `PreviousSpec` then holds the spec it rolled away from.
 * Once a rollback completes the message becomes "rollback completed" in both cases, so `PreviousSpec` decides.
 */
export function rollbackCause(service: SwarmService): { cause: RollbackCause; failedTask?: string } {
  const status = service.UpdateStatus;
  if (!status?.State || !ROLLBACK_STATES.has(status.State)) return { cause: 'none' };
  const message = status.Message ?? '';
  const automatic = AUTOMATIC.exec(message);
  if (automatic) return { cause: 'automatic', failedTask: automatic[1] };
  if (message.startsWith(MANUAL)) return { cause: 'manual' };
  return { cause: service.PreviousSpec ? 'manual' : 'automatic' };
}

/** `rolled_back: automatic | manual | true | false` on a service assertion. */
export function compareRollback(of: Subject, service: SwarmService, expected: boolean | 'automatic' | 'manual', ctx: ClusterContext): Finding {
  const { cause, failedTask } = rollbackCause(service);
  const want: RollbackCause | 'any' = expected === true ? 'any' : expected === false ? 'none' : expected;
  const ok = want === 'any' ? cause !== 'none' : cause === want;
  const state = service.UpdateStatus?.State ?? 'none';
  const task = failedTask ? ctx.swarm?.tasks.find((t) => t.ID === failedTask) : undefined;
  const said = cause === 'automatic' && task?.Status?.Err
    ? say('service.rolledBackAfterTask', { ...of.params, cause: say(`rollback.${cause}`), task: failedTask!.slice(0, 12), error: task.Status.Err, state })
    : say('service.rolledBack', { ...of.params, cause: say(`rollback.${cause}`), state });
  const expectedValue = want === 'any' ? 'rolled back' : want;
  return ok ? finding(true, expectedValue, cause, said.key as FindingKey, said.params)
    : finding(false, expectedValue, cause, 'service.rollbackExpected', { said, wanted: say(`rollback.${want}`) });
}
