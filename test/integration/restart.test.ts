import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL, sessionLabels } from '../../server/engine/labels.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, startTestServer } from '../support/test-server.js';

const INSTANCE = 't-restart';
const docker = new Docker();
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.close();
});

describe('a server restart', () => {
  it('keeps running sessions with their tokens and swarm, and removes containers nothing owns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `${INSTANCE}-`));
    server = await startTestServer(INSTANCE, { dataDir });
    let api = apiClient(server.url);
    const session = await api.createSession({ template: 'swarm-1m2w', swarm: true });
    await server.close({ keepSessions: true });

    const orphan = await docker.createContainer({ Image: 'swarm-workshop/node:latest', Entrypoint: ['sleep', '600'], Labels: sessionLabels(INSTANCE, 'nobody', 'node', 'node1') });
    server = await startTestServer(INSTANCE, { dataDir });
    api = apiClient(server.url);
    const view = await api.call('GET', `/sessions/${session.id}`, session.token);
    expect(view.status).toBe(200);
    expect(view.body.nodes.map((n: { name: string; status: string }) => `${n.name}:${n.status}`)).toEqual(['node1:running', 'node2:running', 'node3:running']);
    const nodes = await api.exec(session, 'node1', "docker node ls --format '{{.Hostname}} {{.Status}}' | sort");
    expect(nodes.output.trim().split('\n')).toEqual(['node1 Ready', 'node2 Ready', 'node3 Ready']);
    await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });

    await server.close();
    server = undefined;
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${INSTANCE}`] } });
    expect(left).toEqual([]);
  });
});
