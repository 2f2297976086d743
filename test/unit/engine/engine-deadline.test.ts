import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerNotRunningError, DockerEngine } from '../../../server/engine/docker-engine.js';
import { EngineTimeoutError, EngineUnavailableError, engineDeadlines, withDeadline } from '../../../server/engine/engine-deadline.js';
import { toHttpError } from '../../../server/http/error-body.js';

describe('withDeadline', () => {
  it('rejects a call that never answers with EngineTimeoutError, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const call = withDeadline('an inspect of container x', 50, (s) => {
      signal = s;
      return new Promise<never>(() => {});
    });
    await expect(call).rejects.toBeInstanceOf(EngineTimeoutError);
    await expect(call).rejects.toThrow('the Docker engine did not answer an inspect of container x within 0.05 s');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
  });

  it('passes an answer in time through and never aborts it afterwards', async () => {
    let signal: AbortSignal | undefined;
    const value = await withDeadline('a list', 50, async (s) => {
      signal = s;
      return 'answer';
    });
    expect(value).toBe('answer');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(signal?.aborted).toBe(false);
  });

  it('passes the engine’s own error through unchanged, thrown or rejected', async () => {
    const refused = Object.assign(new Error('no such container'), { statusCode: 404 });
    await expect(withDeadline('an inspect', 50, async () => Promise.reject(refused))).rejects.toBe(refused);
    await expect(
      withDeadline('an inspect', 50, () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
  });

  it('is answered with 503 and a message, not 500', () => {
    const http = toHttpError(new EngineTimeoutError('a container list', 2000));
    expect(http.status).toBe(503);
    expect(http.code).toBe('engine_unavailable');
    expect(http.message).toBe('the Docker engine did not answer a container list within 2 s');
    expect(new EngineTimeoutError('x', 1)).toBeInstanceOf(EngineUnavailableError);
  });

  it('answers a command on a node that is not running with 409 and what to do', () => {
    const http = toHttpError(new ContainerNotRunningError('abc'));
    expect(http.status).toBe(409);
    expect(http.code).toBe('node_down');
    expect(http.message).toContain('the node is not running');
  });

  it('derives every kind’s deadline from the short one', () => {
    expect(engineDeadlines(2)).toEqual({ read: 2000, attach: 4000, write: 8000, image: 16000 });
  });
});

describe('DockerEngine against an engine that accepts and never answers', () => {
  let hung: Server | undefined;
  afterEach(() => {
    hung?.close();
    hung = undefined;
  });

  it('fails every kind of call at its deadline and leaves no request open', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'hung-engine-')), 'docker.sock');
    const open = new Set<import('node:net').Socket>();
    hung = createServer((socket) => {
      open.add(socket);
      socket.resume(); // reads (and drops) the requests, so it sees when a client hangs up
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => hung!.listen(socketPath, resolve));
    const engine = new DockerEngine(new Docker({ socketPath }), engineDeadlines(0.1));
    const calls: Array<[string, () => Promise<unknown>, number]> = [
      ['ping', () => engine.ping(), 100],
      ['containerState', () => engine.containerState('x'), 100],
      ['listContainers', () => engine.listContainers('t'), 100],
      ['startContainer', () => engine.startContainer('x'), 400],
      ['exec', () => engine.exec('x', ['true'], { timeoutMs: 60_000, maxOutputBytes: 100 }), 200],
      ['execTty', () => engine.execTty('x', ['bash'], [], { cols: 80, rows: 24 }), 200],
    ];
    for (const [name, call, deadlineMs] of calls) {
      const started = Date.now();
      const error = await call().then(() => undefined, (e: unknown) => e);
      const took = Date.now() - started;
      expect(error, name).toBeInstanceOf(EngineUnavailableError);
      expect(took, name).toBeGreaterThanOrEqual(deadlineMs - 5);
      expect(took, name).toBeLessThan(deadlineMs + 500);
    }
    // Each aborted request closed its connection: a hung engine does not collect our sockets.
    const deadline = Date.now() + 2000;
    while (open.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open.size).toBe(0);
  });
});
