import { describe, expect, it } from 'vitest';
import { CheckRunner, type CheckRunEvent, type CheckedSessions } from '../../../server/checks/check-runner.js';
import { collectScript } from '../../../server/checks/collect-script.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { newToken } from '../../../server/ids.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { Session, type SessionOwner } from '../../../server/sessions/session.js';
import type { NodeExec } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { demoFrontMatter, loadRaw } from './fixtures.js';

const LESSON = parseLesson(`${demoFrontMatter()}

## Services

\`\`\`check
title: web has 3 replicas
points: 2
assert:
  - service: web
    replicas: 3
\`\`\`

\`\`\`check
title: web has 5 replicas
points: 1
assert:
  - service: web
    replicas: 5
\`\`\`

## Later

\`\`\`check
title: cache exists
points: 4
assert:
  - service: cache
\`\`\`
`, 'demo.md');

/** A session's nodes as the recorded cluster: the collect script answers with each node's recorded state. */
function recordedNodes(): { sessions: CheckedSessions; commands: Array<{ node: string; command: string }> } {
  const raw = loadRaw('swarm-1m2w-services');
  const commands: Array<{ node: string; command: string }> = [];
  const exec: NodeExec = async (node, command) => {
    commands.push({ node, command });
    if (command === collectScript()) return { exitCode: 0, output: JSON.stringify(raw.nodes[node]), truncated: false, timedOut: false };
    return { exitCode: 1, output: 'not recorded', truncated: false, timedOut: false };
  };
  return { sessions: { nodeExec: () => exec, engineAddresses: () => undefined }, commands };
}

function session(id: string, owner?: SessionOwner): Session {
  const nodes = ['node1', 'node2', 'node3'].map((name, i) => ({ name, id: `c${i}`, address: `10.0.0.${i + 1}`, role: i === 0 ? ('manager' as const) : ('worker' as const) }));
  return new Session({ id, tokenDigest: newToken().digest, template: 'swarm-1m2w', swarm: true, network: { id: 'n', name: 'n' }, createdAt: 0, lastActivity: 0, extendedMs: 0, nodes, ...(owner ? { owner } : {}) }, { idleMs: 60_000, maxMs: 600_000 });
}

function setup() {
  const { sessions, commands } = recordedNodes();
  const results = new ResultStore(openDatabase(':memory:'));
  let now = 1000;
  const runner = new CheckRunner(sessions, new Map([['demo', LESSON]]), results, () => now);
  const runs: CheckRunEvent[] = [];
  runner.onRun((event) => runs.push(event));
  return { runner, results, runs, commands, later: () => (now += 1000) };
}

describe('CheckRunner', () => {
  it("grades one step against the nodes' state and keeps each check's latest result for the session's owner", async () => {
    const { runner, results, runs, commands } = setup();
    const own = session('selfpaced');
    const run = await runner.run(own, 'demo', 0);
    expect(commands.map((c) => c.node).sort()).toEqual(['node1', 'node2', 'node3']);
    expect(run).toMatchObject({ lesson: 'demo', step: 0, passed: false, score: { earned: 2, possible: 3 } });
    expect(run.checks.map((c) => [c.id, c.passed])).toEqual([['0.0', true], ['0.1', false]]);
    const stored = results.forOwner('session:selfpaced', 'demo');
    expect(stored.map((r) => [r.checkId, r.passed, r.earned, r.possible, r.checkedAt])).toEqual([['0.0', true, 2, 2, 1000], ['0.1', false, 0, 1, 1000]]);
    expect(stored[1].detail).toEqual([expect.objectContaining({ message: expect.stringContaining('3') })]);
    expect(runs).toEqual([{ session: own, owner: 'session:selfpaced', run }]);
  });

  it("stores a learner's session's results under the learner, and a later run replaces them", async () => {
    const { runner, results, later } = setup();
    const learners = session('s1', { id: 'learner-ada', tokenDigest: newToken().digest });
    await runner.run(learners, 'demo');
    later();
    await runner.run(learners, 'demo', 1);
    expect(results.forOwner('session:s1')).toEqual([]);
    const stored = results.forOwner('learner-ada', 'demo');
    expect(stored.map((r) => [r.checkId, r.checkedAt])).toEqual([['0.0', 1000], ['0.1', 1000], ['1.0', 2000]]);
  });

  it('refuses an unknown lesson (404) and a step the lesson does not have (400), running nothing', async () => {
    const { runner, commands } = setup();
    await expect(runner.run(session('s'), 'nope')).rejects.toMatchObject({ status: 404, message: 'no lesson nope' });
    await expect(runner.run(session('s'), 'demo', 7)).rejects.toMatchObject({ status: 400, message: 'lesson demo has no step 7' });
    expect(commands).toEqual([]);
  });

  it('shows the live cluster: roles, leader and the services', async () => {
    const { runner, runs } = setup();
    const cluster = await runner.cluster(session('s'));
    expect(cluster.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['node1:manager', 'node2:worker', 'node3:worker']);
    expect(cluster.services.map((s) => s.name).sort()).toEqual(['agent', 'db', 'shop_api', 'web']);
    expect(runs).toEqual([]);
  });
});
