import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSocket } from '../../../server/http/node-socket.js';

/** An app standing in for one in a node; the "engine stream" here is a plain connection to it. */
let app: Server;
let appPort: number;
const opened: number[] = [];
const throughEngine = async (port: number) => {
  opened.push(port);
  return connect(appPort, '127.0.0.1');
};

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appPort = (app.address() as AddressInfo).port;
});

afterAll(() => app.close());

describe('nodeSocket', () => {
  it('carries an HTTP exchange through a stream from the engine, as a socket http.request can use', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '10.201.0.2', port: 8080, method: 'POST', path: '/hello', createConnection: () => nodeSocket(8080, '10.201.0.2', throughEngine) }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end('body');
    });
    expect(answer).toBe('POST /hello body');
    expect(opened).toEqual([8080]);
  });

  it('closes without a byte when the engine cannot open the stream, and connects directly without an opener', async () => {
    const failed = nodeSocket(80, '10.201.0.2', async () => {
      throw new Error('engine down');
    });
    await new Promise((resolve) => failed.on('close', resolve).on('error', () => undefined));
    expect(failed.bytesRead).toBe(0);
    const direct = nodeSocket(appPort, '127.0.0.1', undefined);
    await new Promise((resolve) => direct.on('connect', resolve));
    expect(direct.remotePort).toBe(appPort);
    direct.destroy();
  });
});
