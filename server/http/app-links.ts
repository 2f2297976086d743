import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NODE_NAME } from '../../shared/protocol.js';

/** One learner's app: a port published on one node of one session. */
export interface AppAddress {
  sessionId: string;
  node: string;
  port: number;
}

/** A capability's use: a link (short-lived, turned into a cookie on first use) or that cookie. */
type Use = 'link' | 'cookie';

export const APP_COOKIE = 'workshop_app';
export const CAPABILITY_PARAM = 'cap';
const SESSION_ID = /^[a-z0-9]{1,32}$/;
/** Path form on the app listener: `/s/<session>/<node>/<port>/…`. */
const APP_PATH = /^\/s\/([a-z0-9]{1,32})\/([a-z][a-z0-9-]{0,15})\/(\d{1,5})(\/.*)?$/;

export interface AppLinkOptions {
  /** With a wildcard DNS name each app is its own origin, `<session>-<node>-<port>.<domain>`; without, apps share the app listener's origin under `/s/…`. */
  domain?: string;
  /** The app listener as browsers reach it; undefined: the workshop request's host name, this scheme and `listenPort`. */
  publicUrl?: string;
  scheme: 'http:' | 'https:';
  listenPort: () => number;
  linkSeconds: number;
  cookieMinutes: number;
  /** Signing key; a fresh random one per process unless given (links and cookies then end with a restart). */
  secret?: Buffer;
  now?: () => number;
}

/**
 * Where learners' apps live and who may open one: an app is served only on the app listener's origin (never the
 * workshop's), and opened with an HMAC-signed capability for exactly one session, node and port — a link minted
 * by an authorized route of the workshop, swapped on first use for a cookie of the app's origin. No workshop
 * credential ever reaches that origin.
 */
export class AppLinks {
  private readonly secret: Buffer;
  private readonly now: () => number;

  constructor(private readonly options: AppLinkOptions) {
    this.secret = options.secret ?? randomBytes(32);
    this.now = options.now ?? Date.now;
  }

  get domain(): string | undefined {
    return this.options.domain;
  }

  /** `<expiry seconds>.<signature>` over the use, the app and the expiry; expiry capped by `notAfter` (the session's end). */
  mint(use: Use, app: AppAddress, notAfter: number): { value: string; expiresAt: number } {
    const lifetime = use === 'link' ? this.options.linkSeconds * 1000 : this.options.cookieMinutes * 60_000;
    const expiresAt = Math.floor(Math.min(this.now() + lifetime, notAfter) / 1000);
    return { value: `${expiresAt}.${this.sign(use, app, expiresAt)}`, expiresAt: expiresAt * 1000 };
  }

  verify(use: Use, app: AppAddress, value: string | undefined): boolean {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!match) return false;
    const expiresAt = Number(match[1]);
    if (expiresAt * 1000 <= this.now()) return false;
    const expected = Buffer.from(this.sign(use, app, expiresAt));
    const given = Buffer.from(match[2]);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(use: Use, app: AppAddress, expiresAt: number): string {
    return createHmac('sha256', this.secret).update(`${use}\n${app.sessionId}\n${app.node}\n${app.port}\n${expiresAt}`).digest('base64url');
  }

  /** The app's base URL (ends in `/`), as a browser that asked the workshop at `workshopHost` reaches it. */
  baseUrl(app: AppAddress, workshopHost: string | undefined): URL {
    const base = this.options.publicUrl ? new URL(this.options.publicUrl) : new URL(`${this.options.scheme}//${hostName(workshopHost)}:${this.options.listenPort()}/`);
    if (this.options.domain) {
      base.hostname = `${app.sessionId}-${app.node}-${app.port}.${this.options.domain}`;
      base.pathname = '/';
    } else {
      base.pathname = `${base.pathname.replace(/\/$/, '')}${this.pathPrefix(app)}/`;
    }
    return base;
  }

  /** What an app's own paths sit under on the app listener: `/s/<session>/<node>/<port>`, or nothing with a domain. */
  pathPrefix(app: AppAddress): string {
    return this.options.domain ? '' : `/s/${app.sessionId}/${app.node}/${app.port}`;
  }

  /** The app a request to the app listener is for, and the path it asks of it; undefined when it names none. */
  appOf(req: IncomingMessage): { app: AppAddress; path: string; bare: boolean } | undefined {
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    if (this.options.domain) {
      const app = this.appOfHost(req.headers.host);
      return app && { app, path: url.pathname, bare: false };
    }
    const match = APP_PATH.exec(url.pathname);
    if (!match) return undefined;
    const app = { sessionId: match[1], node: match[2], port: Number(match[3]) };
    return validApp(app) ? { app, path: match[4] ?? '/', bare: match[4] === undefined } : undefined;
  }

  /** `<session>-<node>-<port>.<domain>` → the app; undefined for any other host (the workshop's own, say). */
  appOfHost(host: string | undefined): AppAddress | undefined {
    const domain = this.options.domain;
    if (!domain || !host) return undefined;
    const name = hostName(host).toLowerCase();
    if (!name.endsWith(`.${domain}`)) return undefined;
    const label = name.slice(0, -domain.length - 1);
    const match = /^([a-z0-9]{1,32})-([a-z][a-z0-9-]{0,15})-(\d{1,5})$/.exec(label);
    if (!match) return undefined;
    const app = { sessionId: match[1], node: match[2], port: Number(match[3]) };
    return validApp(app) ? app : undefined;
  }
}

function validApp(app: AppAddress): boolean {
  return SESSION_ID.test(app.sessionId) && NODE_NAME.test(app.node) && app.port >= 1 && app.port <= 65535;
}

/** The host name of a Host header (`example.org:8080`, `[::1]:80`), or `localhost` when there is none usable. */
function hostName(host: string | undefined): string {
  if (!host) return 'localhost';
  try {
    return new URL(`http://${host}`).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
