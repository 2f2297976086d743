import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSessionView } from '../../shared/protocol.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { TerminalClient } from '../support/terminal-client.js';

// The terminal path end to end on the local provider (bash shells on this host): fast, no Docker.
describe('terminals on the local provider', () => {
  let server: RunningServer;
  let session: CreatedSessionView;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-local-test-'));

  beforeAll(async () => {
    server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 't-term-local', dataDir, localProvider: true, logLevel: 'silent' } }));
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'swarm-1m2w' }) });
    expect(res.status).toBe(201);
    session = (await res.json()) as CreatedSessionView;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a pre-formed swarm: it would make the host's own engine a swarm manager", async () => {
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'swarm-1m2w', swarm: true }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/cannot form a swarm/);
  });

  it('runs typed commands in a throwaway directory per node, and resizes', async () => {
    const term = await TerminalClient.open(server.url, session.id, 'node1', { token: session.token, cols: 100, rows: 30 });
    term.type('echo "sum=$((40+2))"; pwd\r');
    await term.waitFor('sum=42');
    await term.waitFor(/sw-t-term-local-\w+-node1-/);
    term.type('stty size\r');
    await term.waitFor('30 100');
    term.control({ type: 'resize', cols: 132, rows: 43 });
    term.type('stty size\r');
    await term.waitFor('43 132');
    await term.close();
  });

  it('answers a bad control frame with an error frame and keeps the socket usable', async () => {
    const term = await TerminalClient.open(server.url, session.id, 'node2', { token: session.token });
    term.control('{"type":"resize","cols":9999,"rows":1}');
    term.control('not json');
    await term.waitFor(() => term.messages.filter((m) => m.type === 'error').length === 2);
    term.type('echo still-$((1+1))\r');
    await term.waitFor('still-2');
    await term.close();
  });

  it('refuses a wrong token or node at the upgrade', async () => {
    await expect(TerminalClient.open(server.url, session.id, 'node1', { token: 'nope' })).rejects.toMatchObject({ status: 403 });
    await expect(TerminalClient.open(server.url, session.id, 'node1', {})).rejects.toMatchObject({ status: 401 });
    await expect(TerminalClient.open(server.url, session.id, 'node9', { token: session.token })).rejects.toMatchObject({ status: 404 });
    await expect(TerminalClient.open(server.url, 'nosuchsession', 'node1', { token: session.token })).rejects.toMatchObject({ status: 404 });
  });

  it('replaces an exited shell on the next connect and replays only what was missed', async () => {
    const term = await TerminalClient.open(server.url, session.id, 'node3', { token: session.token });
    term.type('echo marker-one\r');
    await term.waitFor(/\rmarker-one\r\n[\s\S]*[#$] $/);
    const { last, epoch } = term;
    await term.close();
    const again = await TerminalClient.open(server.url, session.id, 'node3', { token: session.token, since: last, epoch });
    expect(again.output).not.toContain('marker-one');
    again.type('exit\r');
    await again.waitFor(() => again.closed?.code === 4000);
    const fresh = await TerminalClient.open(server.url, session.id, 'node3', { token: session.token, since: again.last, epoch: again.epoch });
    fresh.type('echo fresh-$((2+3))\r');
    await fresh.waitFor('fresh-5');
    await fresh.close();
  });

  it('closes terminals when the session ends', async () => {
    const term = await TerminalClient.open(server.url, session.id, 'node1', { token: session.token });
    await fetch(`${server.url}/api/sessions/${session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session.token}` } });
    await term.waitFor(() => term.closed?.code === 4001, 5000);
  });
});
