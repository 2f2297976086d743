import { describe, expect, it } from 'vitest';
import type { ServiceSpec, SwarmService } from '../../../server/checks/docker-types.js';
import { check, loadSnapshot, serviceNamed, variant } from './fixtures.js';

const FIXTURE = 'swarm-1m2w-services';
const recorded = loadSnapshot(FIXTURE);

/** web after an update to web:2, as swarmkit leaves it: the failed spec kept or cleared, the status it writes. */
function afterUpdate(edit: (web: SwarmService, failedSpec: ServiceSpec) => void) {
  return variant(FIXTURE, (m) => {
    const web = serviceNamed(m, 'web');
    const failedSpec: ServiceSpec = structuredClone(web.Spec);
    failedSpec.TaskTemplate!.ContainerSpec!.Image = 'web:broken';
    edit(web, failedSpec);
  });
}

// swarmkit's updater: rollbackUpdate() sets the message and clears PreviousSpec; completeUpdate() rewrites the message.
const automaticStarted = afterUpdate((web) => {
  web.UpdateStatus = { State: 'rollback_started', Message: 'update rolled back due to failure or early termination of task sw8l7d0swiufbcyxpnssw3ojf' };
});
const automaticCompleted = afterUpdate((web) => {
  web.UpdateStatus = { State: 'rollback_completed', Message: 'rollback completed' };
});
// controlapi's UpdateService with Rollback=PREVIOUS: swaps the specs and writes "manually requested rollback".
const manualStarted = afterUpdate((web, failedSpec) => {
  web.PreviousSpec = failedSpec;
  web.UpdateStatus = { State: 'rollback_started', Message: 'manually requested rollback' };
});
const manualCompleted = afterUpdate((web, failedSpec) => {
  web.PreviousSpec = failedSpec;
  web.UpdateStatus = { State: 'rollback_completed', Message: 'rollback completed' };
});
// A learner who "rolls back" by updating to the old image again: an ordinary, completed update.
const redeployed = afterUpdate((web, failedSpec) => {
  web.PreviousSpec = failedSpec;
  web.UpdateStatus = { State: 'completed', Message: 'update completed' };
});

describe('rollbacks, as the engine records them', () => {
  it('tells an automatic rollback from one by hand, during and after it', () => {
    for (const [state, cause] of [[automaticStarted, 'automatic'], [automaticCompleted, 'automatic'], [manualStarted, 'manual'], [manualCompleted, 'manual']] as const) {
      expect(check(state, { service: 'web', rolled_back: cause }).passed, cause).toBe(true);
      expect(check(state, { service: 'web', rolled_back: true }).passed).toBe(true);
      expect(check(state, { service: 'web', rolled_back: false }).passed).toBe(false);
    }
  });

  it('names the failed task that triggered an automatic rollback', () => {
    expect(check(automaticStarted, { service: 'web', rolled_back: 'automatic' }).message)
      .toBe('service `web`: was rolled back automatically after its new tasks failed (task `sw8l7d0swiuf`: task: non-zero exit (137)), update state `rollback_started`');
  });

  it('fails a rollback done by hand where an automatic one was asked for, with both named', () => {
    const result = check(manualCompleted, { service: 'web', rolled_back: 'automatic', update_state: 'rollback_completed' });
    expect(result.passed).toBe(false);
    expect(result.differences).toEqual([{ expected: 'automatic', actual: 'manual',
      message: 'service `web`: was rolled back by hand (`docker service rollback`), update state `rollback_completed`, expected it rolled back automatically after its new tasks failed',
      key: 'service.rollbackExpected',
      params: {
        said: { key: 'service.rolledBack', params: { service: 'web', cause: { key: 'rollback.manual', params: {} }, state: 'rollback_completed' } },
        wanted: { key: 'rollback.automatic', params: {} },
      } }]);
  });

  it('fails an update back to the old image where a rollback was asked for', () => {
    expect(check(redeployed, { service: 'web', rolled_back: 'manual' }).differences[0]).toMatchObject({ expected: 'manual', actual: 'none' });
    expect(check(recorded, { service: 'web', rolled_back: true }).message)
      .toBe('service `web`: was not rolled back, update state `none`, expected it rolled back');
  });
});

describe('task history: failed tasks the swarm replaced', () => {
  it('finds a slot whose failed task was replaced by a newer running task', () => {
    const result = check(recorded, { tasks: 'web', replaced_failures: { min: 1 } });
    expect(result.passed).toBe(true);
    expect(result.message).toBe('service `web`: 1 slot where a failed task was replaced by a running one (slot 2: failed (task: non-zero exit (137)))');
  });

  it('does not count a failed task that nothing replaced, nor a service without failures', () => {
    const notReplaced = variant(FIXTURE, (m) => {
      const web = serviceNamed(m, 'web');
      for (const task of m.tasks.filter((t) => t.ServiceID === web.ID && t.Slot === 2 && t.Status?.State === 'running')) task.Status!.State = 'shutdown';
    });
    expect(check(notReplaced, { tasks: 'web', replaced_failures: { min: 1 } }).differences[0]).toEqual({ expected: '>= 1', actual: '0',
      message: 'service `web`: 0 slots where a failed task was replaced by a running one (1 failed task, none replaced by a running one), expected at least 1',
      key: 'count.min', params: { described: { key: 'tasks.failedNotReplaced', params: { service: 'web', count: 1 } }, wanted: 1 } });
    expect(check(recorded, { tasks: 'db', replaced_failures: { min: 1 } }).message)
      .toBe('service `db`: 0 slots where a failed task was replaced by a running one (no failed task in the history), expected at least 1');
  });
});

describe('a promoted node in the Raft group', () => {
  it('reads reachability, and says when a node is no manager at all', () => {
    expect(check(recorded, { node: 'node1', role: 'manager', reachability: 'reachable' }).passed).toBe(true);
    expect(check(recorded, { node: 'node2', reachability: 'reachable' }).differences).toEqual([{ expected: 'reachable', actual: 'not a manager',
      message: 'node `node2` is not in the managers\' Raft group (role `worker`), expected reachability `reachable`',
      key: 'node.notInRaft', params: { node: 'node2', role: 'worker', expected: 'reachable' } }]);
  });

  it('fails a node promoted in its spec that has not joined the Raft group yet', () => {
    const promoting = variant(FIXTURE, (m) => {
      const node2 = m.nodes.find((n) => n.Description?.Hostname === 'node2')!;
      node2.Spec = { ...node2.Spec, Role: 'manager' };
      node2.ManagerStatus = { Reachability: 'unreachable', Addr: '172.19.0.3:2377' };
    });
    const result = check(promoting, { node: 'node2', role: 'manager', reachability: 'reachable' });
    expect(result.passed).toBe(false);
    expect(result.message).toBe('node `node2` manager reachability is `unreachable`, expected `reachable`');
    expect(check(promoting, { nodes: { role: 'manager', reachability: 'reachable' }, count: 2 }).message).toBe('1 reachable manager node (`node1`), expected 2');
  });
});
