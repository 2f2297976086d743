import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CheckRunner, type CheckedSessions } from '../../../server/checks/check-runner.js';
import { collectScript } from '../../../server/checks/collect-script.js';
import { fingerprint, joinTokenFingerprints, JOIN_TOKENS_SCRIPT } from '../../../server/checks/join-tokens.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { gradeReport } from '../../../server/grading/grade-report.js';
import { newToken } from '../../../server/ids.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { Session } from '../../../server/sessions/session.js';
import type { NodeExec } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { demoFrontMatter, loadRaw } from './fixtures.js';

/** Scale up to five, then down to three: the later step changes what the earlier check reads. */
const lessonSource = (grading: 'earned' | 'final-state') => `${demoFrontMatter(grading)}

## Scale up

\`\`\`check
id: five
title: web has 5 replicas
points: 2
hint: scale it
assert:
  - service: web
    replicas: 5
\`\`\`

## Scale down

\`\`\`check
id: three
title: web has 3 replicas
points: 1
hint: scale it
assert:
  - service: web
    replicas: 3
\`\`\`

## Rotate

\`\`\`check
id: rotated
title: The worker token was rotated
points: 3
hint: rotate it
assert:
  - cluster: true
    join_tokens: {worker: rotated}
\`\`\`
`;

const WORKER_TOKEN = 'SWMTKN-1-abcdefghijklmnopqrstuvwxyz0123456789-workerworkerworker01';
const ROTATED_TOKEN = 'SWMTKN-1-abcdefghijklmnopqrstuvwxyz0123456789-workerworkerworker02';
const MANAGER_TOKEN = 'SWMTKN-1-abcdefghijklmnopqrstuvwxyz0123456789-managermanagermana01';

/** The recorded cluster, with the web service's replicas and the worker token under the test's control. */
function cluster() {
  const raw = loadRaw('swarm-1m2w-services');
  const state = { replicas: 3, workerToken: WORKER_TOKEN };
  const exec: NodeExec = async (node, command) => {
    if (command !== collectScript()) return { exitCode: 1, output: 'not recorded', truncated: false, timedOut: false };
    const doc = structuredClone(raw.nodes[node]) as Record<string, unknown>;
    if (Array.isArray(doc.services)) {
      const web = (doc.services as Array<{ Spec: { Name: string; Mode: { Replicated?: { Replicas: number } } } }>).find((s) => s.Spec.Name === 'web')!;
      web.Spec.Mode.Replicated!.Replicas = state.replicas;
      // As the collect script prints them: fingerprints only.
      doc.joinTokens = { worker: fingerprint(state.workerToken), manager: fingerprint(MANAGER_TOKEN) };
    }
    return { exitCode: 0, output: JSON.stringify(doc), truncated: false, timedOut: false };
  };
  const sessions: CheckedSessions = { nodeExec: () => exec, engineAddresses: () => undefined };
  return { state, sessions };
}

function session(id: string): Session {
  const nodes = ['node1', 'node2', 'node3'].map((name, i) => ({ name, id: `c${i}`, address: `10.0.0.${i + 1}`, role: i === 0 ? ('manager' as const) : ('worker' as const) }));
  return new Session({ id, tokenDigest: newToken().digest, template: 'swarm-1m2w', swarm: true, network: { id: 'n', name: 'n' }, createdAt: 0, lastActivity: 0, extendedMs: 0, nodes }, { idleMs: 60_000, maxMs: 600_000 });
}

function setup(grading: 'earned' | 'final-state' = 'earned') {
  const lesson = parseLesson(lessonSource(grading), 'demo.md');
  const { state, sessions } = cluster();
  const db = openDatabase(':memory:');
  const results = new ResultStore(db);
  let now = 1000;
  const runner = new CheckRunner(sessions, new Map([['demo', lesson]]), results, () => now);
  const own = session('s1');
  const report = () => gradeReport('Ada', lesson, results.forOwner('session:s1', 'demo'));
  return { runner, results, state, own, report, db, later: () => (now += 1000) };
}

const byId = (report: ReturnType<ReturnType<typeof setup>['report']>) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

describe('earned progress', () => {
  it('keeps what a learner earned step by step when later steps and whole-lesson re-checks see other state', async () => {
    const { runner, state, own, report, later } = setup();
    state.replicas = 5;
    await runner.run(own, 'demo', 0); // pressed Check on step 1 (index 0): earned at 1000
    later();
    state.replicas = 3;
    await runner.run(own, 'demo', 1);
    later();
    const rerun = await runner.run(own, 'demo'); // the schedule, "Grade now", the grade command
    expect(rerun.checks.find((c) => c.id === 'five')!.passed).toBe(false);
    const graded = report();
    expect(graded).toMatchObject({ rule: 'earned', earned: 3, possible: 6, passed: false });
    expect(byId(graded).five).toMatchObject({ passed: true, earned: 2, holdsNow: false, earnedAt: new Date(1000).toISOString(), checkedAt: new Date(3000).toISOString() });
    expect(byId(graded).five.failures[0].message).toContain('5');
    expect(byId(graded).three).toMatchObject({ passed: true, earned: 1, holdsNow: true, earnedAt: new Date(2000).toISOString(), failures: [] });
  });

  it('earns nothing on a step the learner has not reached, even when it holds', async () => {
    const { runner, results, state, own, report } = setup();
    state.replicas = 3;
    await runner.run(own, 'demo'); // a whole-lesson run before the learner opened any step
    expect(byId(report()).three).toMatchObject({ passed: false, earned: 0, holdsNow: true });
    expect(byId(report()).three.failures[0].message).toMatch(/earned only once step 2 is reached/);
    await runner.reach('session:s1', 'demo', 0, own);
    await runner.run(own, 'demo');
    expect(byId(report()).three.passed).toBe(false); // step 2 (index 1) is still ahead
    expect(results.reachedStep('session:s1', 'demo')).toBe(0);
    await runner.reach('session:s1', 'demo', 1, own); // the classroom's position update
    await runner.run(own, 'demo');
    expect(byId(report()).three).toMatchObject({ passed: true, earned: 1 });
  });

  it('never moves the reached step back: checking an earlier step again keeps the later one reached', async () => {
    const { runner, results, own } = setup();
    await runner.run(own, 'demo', 1);
    await runner.run(own, 'demo', 0);
    expect(results.reachedStep('session:s1', 'demo')).toBe(1);
  });

  it('a reset of the lesson clears results, the reached step and baselines for that owner only', async () => {
    const { runner, results, state, own, report } = setup();
    state.replicas = 5;
    await runner.run(own, 'demo', 0);
    await runner.run(own, 'demo', 2);
    const other = session('s2');
    await runner.run(other, 'demo', 0);
    runner.resetProgress('session:s1', 'demo');
    expect(results.forOwner('session:s1', 'demo')).toEqual([]);
    expect(results.reachedStep('session:s1', 'demo')).toBeUndefined();
    expect(results.baselines('session:s1', 'demo').size).toBe(0);
    expect(report()).toMatchObject({ earned: 0, passed: false });
    expect(results.forOwner('session:s2', 'demo')).toHaveLength(1);
  });

  it('grades a final-state lesson on what holds now, and says so', async () => {
    const { runner, state, own, report } = setup('final-state');
    state.replicas = 5;
    await runner.run(own, 'demo', 0);
    state.replicas = 3;
    await runner.run(own, 'demo');
    const graded = report();
    expect(graded.rule).toBe('final-state');
    expect(byId(graded).five).toMatchObject({ passed: false, earned: 0, holdsNow: false, earnedAt: expect.any(String) });
    expect(byId(graded).three).toMatchObject({ passed: true, earned: 1, holdsNow: true });
    expect(graded.earned).toBe(1);
  });
});

describe('join token baseline', () => {
  it('records fingerprints when the step opens and sees the worker token rotated since', async () => {
    const { runner, results, state, own, db } = setup();
    const first = await runner.run(own, 'demo', 2); // the step opens now: the baseline is this state
    expect(first.checks[0]).toMatchObject({ passed: false });
    expect(first.checks[0].assertions[0].message).toBe('the worker join token was unchanged since the step opened, expected rotated');
    state.workerToken = ROTATED_TOKEN;
    const second = await runner.run(own, 'demo', 2);
    expect(second.checks[0]).toMatchObject({ passed: true, points: { earned: 3, possible: 3 } });
    expect(results.baselines('session:s1', 'demo').get(2)).toEqual({ takenAt: 1000, joinTokens: { worker: fingerprint(WORKER_TOKEN), manager: fingerprint(MANAGER_TOKEN) } });
    // Neither token is anywhere in the database.
    const everything = JSON.stringify(db.prepare('SELECT * FROM step_baselines').all()) + JSON.stringify(db.prepare('SELECT * FROM check_results').all());
    for (const token of [WORKER_TOKEN, ROTATED_TOKEN, MANAGER_TOKEN]) expect(everything).not.toContain(token);
  });

  it('takes the baseline of the next step when the learner checks the step before it', async () => {
    const { runner, state, own } = setup();
    await runner.run(own, 'demo', 1); // Check on the step before: the rotation step's baseline is taken now
    state.workerToken = ROTATED_TOKEN;
    expect((await runner.run(own, 'demo', 2)).checks[0].passed).toBe(true);
  });

  it('fails with a clear message when no baseline was recorded', async () => {
    const { runner, state, own } = setup();
    state.workerToken = ROTATED_TOKEN;
    const run = await runner.run(own, 'demo'); // no step reached: nothing recorded
    expect(run.checks.find((c) => c.id === 'rotated')!.assertions[0].message).toMatch(/has no record of the worker join token from when this step opened/);
  });

  it('fingerprints /swarm answers in Node and in the collect script alike, and ignores anything but a join token', () => {
    expect(joinTokenFingerprints({ JoinTokens: { Worker: WORKER_TOKEN, Manager: MANAGER_TOKEN } })).toEqual({ worker: fingerprint(WORKER_TOKEN), manager: fingerprint(MANAGER_TOKEN) });
    expect(joinTokenFingerprints({ JoinTokens: { Worker: '$(reboot)' } })).toBeNull();
    expect(joinTokenFingerprints({ message: 'This node is not a swarm manager.' })).toBeNull();
    const answer = JSON.stringify({ ID: 'x', Spec: { Name: 'default' }, JoinTokens: { Worker: WORKER_TOKEN, Manager: MANAGER_TOKEN } });
    const script = `api() { printf '%s' '${answer}'; }\n${JOIN_TOKENS_SCRIPT}`;
    const printed = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(JSON.parse(`{${printed.slice(1)}}`)).toEqual({ joinTokens: { worker: fingerprint(WORKER_TOKEN), manager: fingerprint(MANAGER_TOKEN) } });
    expect(printed).not.toContain('SWMTKN');
  });
});
