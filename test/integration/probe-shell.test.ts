import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot, type NodeExec } from '../../server/checks/collect-snapshot.js';
import { parseProbeOutput, probeScript } from '../../server/checks/collect-script.js';
import { evaluate } from '../../server/checks/evaluate.js';
import { httpNodeReader } from '../../server/checks/http-node-reader.js';
import { probeFromReads } from '../../server/checks/probe-from-reads.js';
import { planProbes } from '../../server/checks/probe-plan.js';
import { readPlan } from '../../server/checks/read-plan.js';
import { computePlaceholderValues } from '../../server/lessons/placeholder-values.js';
import { fillPlaceholders, listPlaceholders } from '../../server/lessons/placeholders.js';
import type { RunningServer } from '../../server/server.js';
import type { Session } from '../../server/sessions/session.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/**
 * The check path's probe shell (server/nodes/probe-shell.ts) against a plain exec on the same live nodes:
 * the same output and exit code for each command, and the same verdict for every check of every lesson
 * whether a run waits for every probe through plain execs (as before) or only for the needed ones through
 * the shell (as now).
 */

let server: RunningServer;
let api: ReturnType<typeof apiClient>;
let created: CreatedSession;
let session: Session;

beforeAll(async () => {
  server = await startTestServer('t-probe-shell', { classroom: { checkIntervalSeconds: 0 } });
  api = apiClient(server.url);
  created = await api.createSession({ template: 'swarm-1m2w', swarm: true });
  session = server.sessions.find(created.id)!;
  const made = await api.exec(created, 'node1', 'docker service create -d --name web --replicas 2 web:1 && docker secret create db-password - <<< s3cr3t-v1', 60);
  expect(made.exitCode, made.output).toBe(0);
  // A steady state, so the two paths read the same cluster.
  await eventually(async () => (await api.exec(created, 'node1', "docker service ls --format '{{.Replicas}}'", 30)).output.trim() === '2/2', 60_000, 1000);
});

afterAll(async () => {
  await server?.close();
});

const BOTH_STREAMS = 'echo out; echo err >&2; exit 3';

/** The old path: one `docker exec` per command, as a learner's command runs. */
const plainExec: NodeExec = (node, command) => api.exec(created, node, command, 30);

describe('the probe shell on live nodes', () => {
  it('answers each command with the output and exit code a plain exec gives', async () => {
    const shell = server.sessions.nodeExec(session, 'check');
    const commands = [
      'docker node ls',
      'docker node ls --format "{{.Hostname}} {{.Status}}"',
      BOTH_STREAMS,
      "printf 'no newline at the end'",
      'hostname; id -u; pwd',
      'cat /does/not/exist',
      'head -c 100000 /dev/zero | tr "\\0" x | wc -c',
      probeScript(['sh -c \'docker node ls\'', 'curl -sS -m 5 http://127.0.0.1:9/', `cat '/etc/hostname'`]),
    ];
    for (const node of ['node1', 'node2']) {
      for (const command of commands) {
        const [viaShell, viaExec] = await Promise.all([shell(node, command), plainExec(node, command)]);
        // A plain exec carries stdout and stderr as two streams, and dockerd copies them independently: which of
        // `out` and `err` arrives first varies from run to run. There, the same lines in any order is the same answer.
        const output = (result: { output: string }) => (command === BOTH_STREAMS ? result.output.split('\n').sort() : result.output);
        expect({ exitCode: viaShell.exitCode, output: output(viaShell) }, `${node}: ${command}`).toEqual({ exitCode: viaExec.exitCode, output: output(viaExec) });
      }
    }
  });

  it('gives every check of every lesson the verdict the old path gives', async () => {
    const names = [...session.nodes.keys()];
    const reader = httpNodeReader(server.sessions.engineAddresses(session)!, () => Promise.reject(new Error('every node is reachable here')));
    for (const lesson of server.lessons.lessons.values()) {
      const checks = lesson.steps.flatMap((s) => s.checks);
      const values = await computePlaceholderValues([...session.nodes.values()], plainExec, listPlaceholders(JSON.stringify(checks.map((c) => c.assertions))));
      const filled = checks.map((check) => ({
        ...check,
        assertions: check.assertions.map((a) => (a.kind === 'probe' ? { ...a, probe: { ...a.probe, ...Object.fromEntries((['command', 'url', 'file'] as const).filter((f) => a.probe[f] !== undefined).map((f) => [f, fillPlaceholders(a.probe[f]!, values)])) } } : a)),
      }));
      const probes = filled.flatMap((c) => c.assertions.flatMap((a) => (a.kind === 'probe' ? [a.probe] : [])));
      const before = evaluate(filled, await collectSnapshot(plainExec, names, probes, reader, readPlan(filled)));
      const now = (await server.checks.runner.run(session, lesson.meta.id)).checks;
      expect(now.map((c) => [c.title, c.passed, c.points]), lesson.meta.id).toEqual(before.map((c) => [c.title, c.passed, c.points]));
    }
  });

  // Last: it breaks the swarm. node2 becomes the only manager left of three, without quorum.
  it('answers `docker node ls` on a manager without quorum from the reads as the CLI prints it', async () => {
    const run = async (node: string, command: string) => {
      const result = await api.exec(created, node, command, 60);
      expect(result.exitCode, `${command}: ${result.output}`).toBe(0);
    };
    await run('node1', 'docker node promote node2 node3');
    const managers = async (node: string) => (await api.exec(created, node, "docker node ls --filter role=manager --format '{{.ManagerStatus}}'", 30)).output.trim().split('\n').sort().join(',');
    await eventually(async () => (await managers('node1')) === 'Leader,Reachable,Reachable', 60_000, 1000);
    // As the lesson does it: node1 leaves, another manager takes over, then node3 leaves too.
    const leave = (node: string) => eventually(async () => /not part of a swarm|left the swarm/i.test((await api.exec(created, node, 'docker swarm leave --force 2>&1; docker swarm leave --force 2>&1', 60)).output), 90_000, 2000);
    await leave('node1');
    await eventually(async () => (await managers('node2')).startsWith('Leader'), 60_000, 1000);
    await leave('node3');
    const spec = { node: 'node2', command: 'docker node ls' };
    const [planned] = planProbes([spec], { nodes: [{ name: 'node2', containers: [], volumes: [] }], probes: {} }).planned;
    let cli: ReturnType<typeof parseProbeOutput>[number] | undefined;
    await eventually(async () => {
      [cli] = parseProbeOutput((await plainExec('node2', probeScript([planned.command]))).output);
      return cli?.exitCode === 1;
    }, 60_000, 1000);
    const reader = httpNodeReader(server.sessions.engineAddresses(session)!, () => Promise.reject(new Error('node2 is reachable here')));
    const fromReads = probeFromReads(spec, { nodes: { node2: await reader('node2', readPlan([])) } });
    expect(cli?.output).toContain('does not have a leader');
    expect(fromReads).toEqual({ ran: true, exitCode: cli!.exitCode, output: cli!.output, node: 'node2' });
  });
});
