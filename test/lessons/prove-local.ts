/**
 * Proves lessons against throwaway local node containers (no workshop server needed):
 *   npx tsx test/lessons/prove-local.ts lessons/03-services.md [...]
 * Needs a local Docker engine and the node image (NODE_IMAGE, default swarm-workshop/node:latest).
 * Everything it creates carries the label io.swarm-workshop.lesson-proof=<PROOF_PREFIX> and is removed at the end;
 * give each parallel run its own PROOF_PREFIX.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { runLessonChecks } from '../../server/checks/run-lesson-checks.js';
import { blockCommand } from '../../server/lessons/block-command.js';
import { parseLesson } from '../../server/lessons/parse-lesson.js';
import { computePlaceholderValues } from '../../server/lessons/placeholder-values.js';
import { TEMPLATES } from '../../server/nodes/templates.js';
import { localExec } from './local-exec.js';
import { describeStep, proveLesson } from '../../server/lessons/prove-lesson.js';

const run = promisify(execFile);
const IMAGE = process.env.NODE_IMAGE ?? 'swarm-workshop/node:latest';
const PREFIX = process.env.PROOF_PREFIX ?? 'lproof-';
const NETWORK = `${PREFIX}net`;
const LABEL = `io.swarm-workshop.lesson-proof=${PREFIX}`;
const CAPS = 'AUDIT_CONTROL AUDIT_READ AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID IPC_LOCK KILL MKNOD NET_ADMIN NET_BIND_SERVICE NET_RAW SETFCAP SETGID SETPCAP SETUID SYSLOG SYS_ADMIN SYS_CHROOT SYS_MODULE SYS_NICE SYS_PTRACE'.split(' ');
const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 * 1024 * 1024 });

async function removeAll(): Promise<void> {
  const { stdout } = await docker('ps', '-aq', '--filter', `label=${LABEL}`);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
}

async function startNodes(names: string[]): Promise<void> {
  await removeAll();
  await docker('network', 'inspect', NETWORK).catch(() => docker('network', 'create', '--label', LABEL, NETWORK));
  const caps = CAPS.flatMap((c) => ['--cap-add', c]);
  const tmpfs = ['/root:exec', '/run:exec', '/tmp:exec', '/var/lib/docker:exec,size=1g', '/var/log'].flatMap((t) => ['--tmpfs', t]);
  await Promise.all(names.map((name) => docker('run', '-d', '--name', `${PREFIX}${name}`, '--hostname', name, '--label', LABEL, '--network', NETWORK,
    ...caps, '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--cgroupns', 'host', ...tmpfs, IMAGE)));
  await Promise.all(names.map((name) => docker('exec', `${PREFIX}${name}`, 'node-wait-ready', '600')));
}

async function formSwarm(nodes: { name: string; role?: string }[], exec: ReturnType<typeof localExec>, address: (n: string) => string): Promise<void> {
  const [first, ...rest] = nodes;
  await exec(first.name, `docker swarm init --advertise-addr ${address(first.name)}`);
  const worker = (await exec(first.name, 'docker swarm join-token -q worker')).output.trim();
  const manager = (await exec(first.name, 'docker swarm join-token -q manager')).output.trim();
  for (const node of rest) await exec(node.name, `docker swarm join --token ${node.role === 'manager' ? manager : worker} ${address(first.name)}:2377`);
}

let failed = 0;
for (const path of process.argv.slice(2)) {
  const lesson = parseLesson(await readFile(path, 'utf8'), basename(path));
  const planned = TEMPLATES[lesson.meta.template];
  const names = planned.map((n) => n.name);
  await startNodes(names);
  const exec = localExec(PREFIX);
  const addresses = new Map<string, string>();
  for (const name of names) addresses.set(name, (await exec(name, 'hostname -i')).output.trim());
  if (lesson.meta.swarm) await formSwarm(planned, exec, (n) => addresses.get(n) ?? '');
  const session = planned.map((n) => ({ name: n.name, address: addresses.get(n.name) ?? '', role: lesson.meta.swarm ? n.role : undefined }));
  const values = () => computePlaceholderValues(session, exec);
  const { problems } = await proveLesson(lesson, {
    // No server here to run blocks by reference: the local prover runs every block's command itself.
    run: async (_step, block) => exec(block.node, blockCommand(block, await values()), 180),
    exec: (node, command, timeout) => exec(node, command, timeout),
    values,
    checks: async (step) => runLessonChecks(lesson, step, exec, names, await values()),
  }, (step) => console.log(describeStep(step).join('\n')));
  console.log(problems.length ? `FAIL ${path}\n${problems.join('\n')}` : `PASS ${path}`);
  failed += problems.length ? 1 : 0;
}
if (process.env.KEEP_NODES !== '1') {
  await removeAll();
  await docker('network', 'rm', NETWORK).catch(() => undefined);
}
process.exit(failed ? 1 : 0);
