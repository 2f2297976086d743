/**
 * `workshop grade --docker-host` on a swarm built by hand with the docker CLI (not through the server): node
 * containers started from the node image as test/lessons/prove-local.ts does, a swarm formed with docker
 * exec, and a service whose task runs on a worker. The grade command must read the workers too and reach the
 * same verdict as the server's own way of reading a session (an exec into each node plus the engine API over
 * the node network, as CheckRunner does).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRawSnapshot, type NodeExec } from '../../server/checks/collect-snapshot.js';
import { httpNodeReader } from '../../server/checks/http-node-reader.js';
import { runLessonChecks } from '../../server/checks/run-lesson-checks.js';
import { loadConfig } from '../../server/config.js';
import { parseLesson } from '../../server/lessons/parse-lesson.js';
import { eventually } from '../support/test-server.js';

const run = promisify(execFile);
const PREFIX = 'gradecli-';
const LABEL = `io.swarm-workshop.grade-cli-test=${PREFIX}`;
const NAMES = ['node1', 'node2', 'node3'];
const CAPS = 'AUDIT_CONTROL AUDIT_READ AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID IPC_LOCK KILL MKNOD NET_ADMIN NET_BIND_SERVICE NET_RAW SETFCAP SETGID SETPCAP SETUID SYSLOG SYS_ADMIN SYS_CHROOT SYS_MODULE SYS_NICE SYS_PTRACE'.split(' ');
const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 * 1024 * 1024 });

/** Runs a shell command inside a node container, as the server's exec does. */
const nodeExec: NodeExec = async (node, command) => {
  try {
    const { stdout, stderr } = await docker('exec', `${PREFIX}${node}`, 'bash', '-c', command);
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
};

const LESSON = `---
id: grade-cli-demo
title: Grade CLI demo
summary: A service on a worker, read from the whole cluster.
template: swarm-1m2w
swarm: true
minutes: 5
---

## The service

\`\`\`check
id: swarm-formed
title: Three nodes, node2 and node3 are workers
hint: Join node2 and node3 as workers.
assert:
  - swarm: node2
    state: active
    manager: false
  - nodes: {role: worker, state: ready}
    count: 2
\`\`\`

\`\`\`check
id: web-on-worker
title: web runs on a worker and answers
hint: Create web with --constraint node.role==worker.
assert:
  - service: web
    running: 1
    constraints: [node.role==worker]
  - tasks: web
    not_on: [node1]
  - probe: {service: web, url: 'http://127.0.0.1/'}
    contains: web version 1
\`\`\`

\`\`\`check
id: web-scaled
title: web has three replicas
hint: docker service scale web=3
assert:
  - service: web
    replicas: 3
\`\`\`
`;

const addresses = new Map<string, string>();
let lessonsDir = '';

async function removeAll(): Promise<void> {
  const { stdout } = await docker('ps', '-aq', '--filter', `label=${LABEL}`);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  await docker('network', 'rm', `${PREFIX}net`).catch(() => undefined);
}

beforeAll(async () => {
  await removeAll();
  await docker('network', 'create', '--label', LABEL, `${PREFIX}net`);
  const caps = CAPS.flatMap((c) => ['--cap-add', c]);
  const tmpfs = ['/root:exec', '/run:exec', '/tmp:exec', '/var/lib/docker:exec,size=1g', '/var/log'].flatMap((t) => ['--tmpfs', t]);
  const image = loadConfig({ env: process.env }).images.node;
  await Promise.all(NAMES.map((name) => docker('run', '-d', '--name', `${PREFIX}${name}`, '--hostname', name, '--label', LABEL, '--network', `${PREFIX}net`,
    ...caps, '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--cgroupns', 'host', ...tmpfs, image)));
  await Promise.all(NAMES.map((name) => docker('exec', `${PREFIX}${name}`, 'node-wait-ready', '600')));
  for (const name of NAMES) addresses.set(name, (await nodeExec(name, 'hostname -i')).output.trim());
  // The swarm, formed with the plain docker CLI on each node.
  await nodeExec('node1', `docker swarm init --advertise-addr ${addresses.get('node1')}`);
  const token = (await nodeExec('node1', 'docker swarm join-token -q worker')).output.trim();
  for (const name of ['node2', 'node3']) await nodeExec(name, `docker swarm join --token ${token} ${addresses.get('node1')}:2377`);
  await nodeExec('node1', 'docker service create --detach --name web --constraint node.role==worker web:1');
  await eventually(async () => (await nodeExec('node1', "docker service ls --filter name=web --format '{{.Replicas}}'")).output.trim() === '1/1', 60_000);
  lessonsDir = mkdtempSync(join(tmpdir(), 'grade-cli-'));
  writeFileSync(join(lessonsDir, 'demo.md'), LESSON);
}, 300_000);

afterAll(async () => {
  await removeAll();
});

interface Verdict {
  id: string;
  passed: boolean;
  earned: number;
  failures: string[];
}

/** Runs `workshop grade --docker-host` as a learner's grader would, and reads its JSON report. */
async function gradeWithCli(extra: string[] = []): Promise<{ verdicts: Verdict[]; output: string; exitCode: number }> {
  const report = join(lessonsDir, `report-${Date.now()}.json`);
  const args = ['bin/workshop.js', 'grade', '--lesson', 'grade-cli-demo', '--lessons-dir', lessonsDir, '--docker-host', `tcp://${addresses.get('node1')}:2375`, '--report', report, ...extra];
  let output = '';
  let exitCode = 0;
  try {
    const { stdout, stderr } = await run('node', args, { maxBuffer: 16 * 1024 * 1024 });
    output = stdout + stderr;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    exitCode = failed.code ?? -1;
  }
  if (exitCode === 2) throw new Error(`the grade command could not grade:\n${output}`);
  const { reports: [parsed] } = JSON.parse(readFileSync(report, 'utf8')) as { reports: { checks: { id: string; passed: boolean; earned: number; failures: { message: string }[] }[] }[] };
  return { verdicts: parsed.checks.map((c) => ({ id: c.id, passed: c.passed, earned: c.earned, failures: c.failures.map((f) => f.message) })), output, exitCode };
}

/** The server's way: an exec into each node for probes, the engine API over the node network for state. */
async function gradeLikeServer(): Promise<Verdict[]> {
  const lesson = parseLesson(LESSON, 'demo.md');
  const reader = httpNodeReader(addresses, (node) => collectRawSnapshot(nodeExec, [node]).then((raw) => raw.nodes[node]));
  const view = await runLessonChecks(lesson, undefined, nodeExec, NAMES, {}, reader);
  return view.checks.map((c) => ({ id: c.id, passed: c.passed, earned: c.points.earned, failures: c.assertions.filter((a) => !a.passed).map((a) => a.message) }));
}

describe('workshop grade --docker-host on a hand-built swarm', () => {
  it('reads the workers, so a probe of a task on a worker passes, and agrees with the server', async () => {
    const server = await gradeLikeServer();
    const cli = await gradeWithCli();
    expect(server.map((v) => [v.id, v.passed])).toEqual([['swarm-formed', true], ['web-on-worker', true], ['web-scaled', false]]);
    expect(cli.verdicts).toEqual(server);
    expect(cli.exitCode).toBe(1); // one check fails, in both modes
    expect(cli.output).toMatch(/Read 3 of 3 nodes/);
  });

  it('says plainly which node it could not read', async () => {
    const cli = await gradeWithCli(['--node', 'node2=tcp://127.0.0.1:1']);
    expect(cli.output).toMatch(/NOT READ\s+node2\s+tcp:\/\/127\.0\.0\.1:1/);
    expect(cli.verdicts.find((v) => v.id === 'swarm-formed')?.failures.join(' ')).toContain('node `node2` cannot be read at tcp://127.0.0.1:1');
  });
});
