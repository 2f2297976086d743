import type { ClusterContext } from '../cluster-context.js';
import type { SwarmService } from '../docker-types.js';
import { code, finding, type Finding } from '../finding.js';

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

const WORDS: Record<RollbackCause, string> = {
  automatic: 'rolled back automatically after its new tasks failed',
  manual: 'rolled back by hand (`docker service rollback`)',
  none: 'not rolled back',
};

/** `rolled_back: automatic | manual | true | false` on a service assertion. */
export function compareRollback(subject: string, service: SwarmService, expected: boolean | 'automatic' | 'manual', ctx: ClusterContext): Finding {
  const { cause, failedTask } = rollbackCause(service);
  const want: RollbackCause | 'any' = expected === true ? 'any' : expected === false ? 'none' : expected;
  const ok = want === 'any' ? cause !== 'none' : cause === want;
  const state = service.UpdateStatus?.State ?? 'none';
  const task = failedTask ? ctx.swarm?.tasks.find((t) => t.ID === failedTask) : undefined;
  const evidence = cause === 'automatic' && task?.Status?.Err ? ` (task ${code(failedTask!.slice(0, 12))}: ${task.Status.Err})` : '';
  const said = `${subject} was ${WORDS[cause]}${evidence}, update state ${code(state)}`;
  const wantWords = want === 'any' ? 'rolled back' : WORDS[want];
  return finding(ok, want === 'any' ? 'rolled back' : want, cause, ok ? said : `${said}, expected it ${wantWords}`);
}
