import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { NODE_NAME } from '../../shared/protocol.js';
import { HttpError, badRequest } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { PORT_COOKIE, readCredential, withoutCookie } from './credentials.js';
import { refuseUpgrade, sendError } from './error-body.js';

const PORT_PATH = /^\/api\/sessions\/([a-z0-9]{1,32})\/nodes\/([^/]+)\/ports\/(\d{1,5})(\/.*)?$/;
const UPSTREAM_TIMEOUT_MS = 30_000;

interface Target {
  sessionId: string;
  prefix: string;
  address: string;
  port: number;
  /** Path and query to send upstream, without the token. */
  path: string;
  /** No path after the port: redirect to `…/ports/N/` so relative links resolve. */
  bare: boolean;
  /** The token came in the query: set the cookie (and, for a GET, redirect to the clean URL). */
  tokenFromQuery?: string;
}

export interface PortProxy {
  handles(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

/**
 * `/api/sessions/:id/nodes/:node/ports/:port/…` → `http://<node address>:<port>/…`,
 * HTTP and websockets. The session token comes as Bearer, `?token=` (answered
 * with a cookie scoped to the session's node paths, so links opened in a new
 * tab keep working) or that cookie; it is stripped before forwarding.
 */
export function createPortProxy(sessions: SessionManager, log: Logger): PortProxy {
  function resolve(req: IncomingMessage): Target {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PORT_PATH.exec(url.pathname);
    if (!match) throw new HttpError(404, 'not_found', 'not a port path');
    const [, sessionId, nodeName, portText, rest] = match;
    const port = Number(portText);
    if (!NODE_NAME.test(nodeName)) throw badRequest('invalid node name');
    if (port < 1 || port > 65535) throw badRequest('a port is 1-65535');
    const credential = readCredential(req, PORT_COOKIE);
    const session = sessions.authorize(sessionId, credential?.token);
    const address = sessions.nodeAddress(session, nodeName);
    url.searchParams.delete('token');
    const query = url.searchParams.toString();
    return {
      sessionId: session.id,
      prefix: `/api/sessions/${sessionId}/nodes/${nodeName}/ports/${port}`,
      address,
      port,
      path: `${rest ?? '/'}${query ? `?${query}` : ''}`,
      bare: rest === undefined,
      tokenFromQuery: credential?.source === 'query' ? credential.token : undefined,
    };
  }

  function upstreamHeaders(req: IncomingMessage, target: Target): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
    if (typeof headers.authorization === 'string' && headers.authorization.startsWith('Bearer ')) delete headers.authorization;
    const cookie = withoutCookie(req.headers.cookie, PORT_COOKIE);
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    headers.host = `${target.address}:${target.port}`;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-prefix'] = target.prefix;
    return headers;
  }

  function cookieFor(target: Target, token: string): string {
    return `${PORT_COOKIE}=${encodeURIComponent(token)}; Path=/api/sessions/${target.sessionId}/nodes/; HttpOnly; SameSite=Lax`;
  }

  return {
    handles(req) {
      return PORT_PATH.test((req.url ?? '/').split('?')[0]);
    },

    handle(req, res) {
      let target: Target;
      try {
        target = resolve(req);
      } catch (error) {
        sendError(res, error);
        return;
      }
      if (target.tokenFromQuery) res.setHeader('Set-Cookie', cookieFor(target, target.tokenFromQuery));
      if ((req.method === 'GET' || req.method === 'HEAD') && (target.bare || target.tokenFromQuery)) {
        // A clean URL: the token leaves the address bar, relative links resolve under the prefix.
        res.writeHead(302, { Location: `${target.prefix}${target.path}` }).end();
        return;
      }
      const upstream = httpRequest(
        { host: target.address, port: target.port, method: req.method, path: target.path, headers: upstreamHeaders(req, target), timeout: UPSTREAM_TIMEOUT_MS },
        (reply) => {
          const headers = { ...reply.headers };
          const location = headers.location;
          if (typeof location === 'string' && location.startsWith('/') && !location.startsWith('//')) headers.location = `${target.prefix}${location}`;
          res.writeHead(reply.statusCode ?? 502, headers);
          reply.pipe(res);
        },
      );
      upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
      upstream.on('error', (error) => {
        if (res.headersSent) return void res.destroy();
        log.debug({ err: error, port: target.port }, 'port proxy could not reach the node');
        sendError(res, new HttpError(502, 'bad_gateway', `nothing answers on port ${target.port} of that node (${(error as Error).message})`));
      });
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    },

    upgrade(req, socket, head) {
      if (!this.handles(req)) return false;
      let target: Target;
      try {
        target = resolve(req);
      } catch (error) {
        refuseUpgrade(socket, error);
        return true;
      }
      const upstream = connect(target.port, target.address);
      upstream.on('connect', () => {
        const headers = upstreamHeaders(req, target);
        const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`];
        for (const [name, value] of Object.entries(headers)) for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => {
        if (upstream.bytesRead === 0 && socket.writable) refuseUpgrade(socket, new HttpError(502, 'bad_gateway', `nothing answers on port ${target.port}`));
        else socket.destroy();
      });
      socket.on('error', () => upstream.destroy());
      socket.on('close', () => upstream.destroy());
      return true;
    },
  };
}
