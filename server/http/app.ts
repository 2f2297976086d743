import express, { type Express } from 'express';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { securityHeaders } from './security-headers.js';
import { sessionsRouter, type SessionAccess } from './sessions-routes.js';

export interface AppParts {
  sessions: SessionManager;
  log: Logger;
  /** Who may start sessions (server.ts passes the config's `access`); without it, anyone may, unbounded (tests). */
  access?: SessionAccess;
  /** Extra routers mounted under /api by other features (lessons, checks, classroom, health). */
  apiRouters?: Array<[string, express.Router]>;
  staticDir?: string;
}

export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());
  // Commands are bounded separately (commandMaxBytes); this only stops absurd bodies before parsing.
  app.use('/api', express.json({ limit: '256kb' }));
  app.use('/api/sessions', sessionsRouter(parts.sessions, parts.access));
  for (const [path, router] of parts.apiRouters ?? []) app.use(`/api${path}`, router);
  app.use('/api', notFoundHandler());
  if (parts.staticDir) app.use(express.static(parts.staticDir, { index: 'index.html', maxAge: '1h' }));
  app.use(notFoundHandler());
  app.use(errorHandler(parts.log));
  return app;
}
