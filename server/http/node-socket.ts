import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

let relayDir: string | undefined;
let relayCount = 0;

/**
 * A socket to a node's port. Directly when the server has a route to the node's network; otherwise (a remote
 * engine) through a stream from the engine's API, spliced behind a one-connection Unix socket in a folder of
 * the server's own (mode 0700), so the caller gets a real socket either way: its `connect` event, timeouts
 * and byte counts behave the same, and `http.request` takes it as its connection.
 */
export function nodeSocket(port: number, address: string, openThroughEngine: ((port: number) => Promise<Duplex>) | undefined): Socket {
  if (!openThroughEngine) return connect(port, address);
  relayDir ??= mkdtempSync(join(tmpdir(), 'workshop-relay-'));
  const path = join(relayDir, `${process.pid}-${++relayCount}.sock`);
  const relay = createServer((accepted) => {
    relay.close();
    accepted.pause();
    openThroughEngine(port).then(
      (remote) => {
        accepted.pipe(remote);
        remote.pipe(accepted);
        accepted.resume();
        remote.on('error', () => accepted.destroy());
        accepted.on('error', () => remote.destroy());
        accepted.on('close', () => remote.destroy());
      },
      () => accepted.destroy(),
    );
  });
  // A Unix socket binds at once, so the client can connect in the same tick (http.request writes right away).
  relay.listen(path);
  const client = connect(path);
  client.on('close', () => {
    relay.close();
    rmSync(path, { force: true });
  });
  return client;
}
