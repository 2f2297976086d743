import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { nodeSocket } from './node-socket.js';
import type { Duplex } from 'node:stream';
import { NODE_NAME } from '../../shared/protocol.js';
import { HttpError, badRequest, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Session } from '../sessions/session.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { APP_COOKIE, CAPABILITY_PARAM, type AppAddress, type AppLinks } from './app-links.js';
import { INSTRUCTOR_COOKIE, LEARNER_COOKIE, PORT_COOKIE, cookieValues, sessionToken, withoutCookies } from './credentials.js';
import { refuseUpgrade, sendError } from './error-body.js';
import { requireSameOrigin } from './websocket-origin.js';

/** The workshop's link to an app: authorized by the session token, answered with a redirect to the app's own origin. */
const WORKSHOP_PORT_PATH = /^\/api\/sessions\/([a-z0-9]{1,32})\/nodes\/([^/]+)\/ports\/(\d{1,5})(\/.*)?$/;
const UPSTREAM_TIMEOUT_MS = 30_000;
/** Cookies of the workshop's origin: never forwarded to an app, never set by one. */
const WORKSHOP_COOKIES = [APP_COOKIE, INSTRUCTOR_COOKIE, LEARNER_COOKIE, PORT_COOKIE];
/** Request headers that carry workshop credentials; an app never sees them. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-access-code'];

/** A request for an app, resolved and allowed. */
interface Target {
  app: AppAddress;
  session: Session;
  address: string;
  /** Path and query to send upstream, without any capability or token. */
  path: string;
  /** What the app's paths sit under here (path form), for redirects and X-Forwarded-Prefix. */
  prefix: string;
  /** A `Set-Cookie` to answer with: the link's capability became a cookie of the app's origin. */
  setCookie?: string;
  /** Answer with a redirect instead (to drop the capability from the address bar, or add the trailing slash). */
  redirect?: string;
}

export interface PortProxy {
  /** Whether the workshop's listener should pass this request here: a port link, or (with a domain) an app's host. */
  handles(req: IncomingMessage): boolean;
  /** On the workshop's listener. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The app listener: everything on it is a learner's app (or a 404). */
  handleApp(req: IncomingMessage, res: ServerResponse): void;
  upgradeApp(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * Learners' web apps, served on an origin of their own (docs/terminals.md, "Port proxy"). On the workshop's
 * origin only `GET /api/sessions/:id/nodes/:node/ports/:port/…?token=` exists: it checks the session token and
 * redirects to the app listener with a short-lived link capability. The app listener swaps that for a cookie
 * of its own origin and forwards to `http://<node address>:<port>/…` — HTTP and websockets — after taking out
 * every workshop credential; an app's answers never set a cookie the workshop would read.
 */
export function createPortProxy(sessions: SessionManager, links: AppLinks, log: Logger, options: { appOrigins?: readonly string[] } = {}): PortProxy {
  const secureCookies = (options.appOrigins ?? []).some((origin) => origin.startsWith('https:'));

  function sessionNode(app: AppAddress): { session: Session; address: string } {
    const session = sessions.find(app.sessionId);
    if (!session) throw notFound(`no session ${app.sessionId}`);
    return { session, address: sessions.nodeAddress(session, app.node) };
  }

  /** Resolves a request on the app listener, checking its capability (link in the query, or the cookie). */
  function resolveApp(req: IncomingMessage): Target {
    const found = links.appOf(req);
    if (!found) throw new HttpError(404, 'not_found', 'no app here: open apps through the workshop\'s port links');
    const { app } = found;
    const { session, address } = sessionNode(app);
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    const linkCapability = url.searchParams.get(CAPABILITY_PARAM) ?? undefined;
    url.searchParams.delete(CAPABILITY_PARAM);
    url.searchParams.delete('token');
    const query = url.searchParams.toString();
    const prefix = links.pathPrefix(app);
    const target: Target = { app, session, address, prefix, path: `${found.path}${query ? `?${query}` : ''}` };
    const fromLink = linkCapability !== undefined && links.verify('link', app, linkCapability);
    if (!fromLink && !cookieValues(req.headers.cookie, APP_COOKIE).some((value) => links.verify('cookie', app, value))) {
      throw new HttpError(403, 'app_link_expired', 'this app link has expired or is not for this app: open it again from the workshop');
    }
    const getLike = req.method === 'GET' || req.method === 'HEAD';
    if (fromLink) {
      const cookie = links.mint('cookie', app, session.hardLimit());
      const maxAge = Math.max(1, Math.floor((cookie.expiresAt - Date.now()) / 1000));
      target.setCookie = `${APP_COOKIE}=${cookie.value}; Path=${prefix || '/'}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secureCookies ? '; Secure' : ''}`;
      if (getLike) target.redirect = `${prefix}${target.path}`;
    }
    if (found.bare && getLike) target.redirect = `${prefix}/${query ? `?${query}` : ''}`;
    return target;
  }

  /** What the app receives: the request's own headers, less every workshop credential. */
  function upstreamHeaders(req: IncomingMessage, target: Target): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !CREDENTIAL_HEADERS.includes(name)) headers[name] = value;
    // On a shared app origin (path form) the browser also sends the workshop's cookies (cookies ignore ports), and
    // apps cannot set cookies there: every cookie is the workshop's. With a domain, the app's own cookies pass.
    const cookie = links.domain ? withoutCookies(req.headers.cookie, WORKSHOP_COOKIES) : '';
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    headers.host = `${target.address}:${target.app.port}`;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = 'http';
    if (target.prefix) headers['x-forwarded-prefix'] = target.prefix;
    else delete headers['x-forwarded-prefix'];
    return headers;
  }

  /** What the browser receives from the app: no cookie for the workshop's origin, redirects kept under the prefix. */
  function downstreamHeaders(reply: IncomingHttpHeaders, target: Target): IncomingHttpHeaders {
    const headers = { ...reply };
    const cookies = links.domain ? (headers['set-cookie'] ?? []).filter((line) => !WORKSHOP_COOKIES.includes(line.split('=')[0].trim())) : [];
    // Host-only: a `Domain=` would reach the parent domain, and so possibly the workshop.
    const scoped = cookies.map((line) => line.replace(/;\s*domain=[^;]*/gi, ''));
    if (target.setCookie) scoped.push(target.setCookie);
    if (scoped.length) headers['set-cookie'] = scoped;
    else delete headers['set-cookie'];
    const location = headers.location;
    if (target.prefix && typeof location === 'string' && location.startsWith('/') && !location.startsWith('//')) headers.location = `${target.prefix}${location}`;
    return headers;
  }

  function forward(req: IncomingMessage, res: ServerResponse, target: Target): void {
    const release = sessions.holdSocket(target.session);
    res.on('close', release);
    const opener = sessions.nodePortOpener(target.session, target.app.node);
    const upstream = httpRequest(
      { host: target.address, port: target.app.port, method: req.method, path: target.path, headers: upstreamHeaders(req, target), timeout: UPSTREAM_TIMEOUT_MS, ...(opener ? { createConnection: () => nodeSocket(target.app.port, target.address, opener) } : {}) },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, downstreamHeaders(reply.headers, target));
        reply.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      log.debug({ err: error, port: target.app.port }, 'port proxy could not reach the node');
      sendError(res, new HttpError(502, 'bad_gateway', `nothing answers on port ${target.app.port} of that node (${(error as Error).message})`));
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  function handleApp(req: IncomingMessage, res: ServerResponse): void {
    let target: Target;
    try {
      target = resolveApp(req);
      if (target.redirect) {
        const headers: Record<string, string> = { Location: target.redirect, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
        if (target.setCookie) headers['Set-Cookie'] = target.setCookie;
        res.writeHead(302, headers).end();
        return;
      }
      forward(req, res, target);
    } catch (error) {
      sendError(res, error);
    }
  }

  function upgradeApp(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let target: Target;
    let release: () => void;
    try {
      requireSameOrigin(req, options.appOrigins);
      target = resolveApp(req);
      release = sessions.holdSocket(target.session);
    } catch (error) {
      refuseUpgrade(socket, error);
      return;
    }
    const upstream = nodeSocket(target.app.port, target.address, sessions.nodePortOpener(target.session, target.app.node));
    // A node that takes the connection but never answers the upgrade does not hold the socket forever.
    upstream.setTimeout(UPSTREAM_TIMEOUT_MS, () => {
      if (upstream.bytesRead === 0) upstream.destroy(new Error('upstream timed out'));
    });
    upstream.on('connect', () => {
      const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`];
      for (const [name, value] of Object.entries(upstreamHeaders(req, target))) for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (upstream.bytesRead === 0 && socket.writable) refuseUpgrade(socket, new HttpError(502, 'bad_gateway', `nothing answers on port ${target.app.port}`));
      else socket.destroy();
    });
    upstream.on('close', release);
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  }

  /** The workshop's port link: checks the session token, then sends the browser to the app's own origin. */
  function redirectToApp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://workshop.invalid');
    const match = WORKSHOP_PORT_PATH.exec(url.pathname);
    if (!match) throw notFound('not a port path');
    const [, sessionId, node, portText, rest] = match;
    const port = Number(portText);
    if (!NODE_NAME.test(node)) throw badRequest('invalid node name');
    if (port < 1 || port > 65535) throw badRequest('a port is 1-65535');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'app_origin', 'learners\' apps are served on their own origin: open this link (GET) to be sent there', { Allow: 'GET, HEAD' });
    }
    const session = sessions.authorize(sessionId, sessionToken(req));
    sessions.requireNode(session, node);
    const app = { sessionId: session.id, node, port };
    const location = links.baseUrl(app, req.headers.host);
    location.pathname = `${location.pathname}${(rest ?? '/').slice(1)}`;
    for (const [name, value] of url.searchParams) if (name !== 'token' && name !== CAPABILITY_PARAM) location.searchParams.append(name, value);
    location.searchParams.set(CAPABILITY_PARAM, links.mint('link', app, session.hardLimit()).value);
    res.writeHead(302, { Location: location.toString(), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
  }

  const isWorkshopPortPath = (req: IncomingMessage) => WORKSHOP_PORT_PATH.test((req.url ?? '/').split('?')[0]);

  return {
    handles(req) {
      return links.appOfHost(req.headers.host) !== undefined || isWorkshopPortPath(req);
    },

    handle(req, res) {
      if (links.appOfHost(req.headers.host)) return handleApp(req, res);
      try {
        redirectToApp(req, res);
      } catch (error) {
        sendError(res, error);
      }
    },

    upgrade(req, socket, head) {
      if (links.appOfHost(req.headers.host)) {
        upgradeApp(req, socket, head);
        return true;
      }
      if (!isWorkshopPortPath(req)) return false;
      refuseUpgrade(socket, new HttpError(404, 'app_origin', 'learners\' apps are served on their own origin: open the app through its port link first'));
      return true;
    },

    handleApp,
    upgradeApp,
  };
}
