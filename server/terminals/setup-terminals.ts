import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { NODE_NAME, TERMINAL_CLOSE, TerminalQuerySchema } from '../../shared/protocol.js';
import { HttpError, badRequest } from '../errors.js';
import { INSTRUCTOR_COOKIE, credential, sessionToken } from '../http/credentials.js';
import { refuseUpgrade, toHttpError } from '../http/error-body.js';
import { requireSameOrigin } from '../http/websocket-origin.js';
import type { Logger } from '../logger.js';
import type { SocketMetrics } from '../metrics/metrics.js';
import type { Session } from '../sessions/session.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { firstIssueMessage } from '../zod-message.js';
import { parseControlFrame } from './control-frame.js';
import type { Attachment, TerminalSink } from './terminal.js';
import { TerminalHub } from './terminal-hub.js';

const TERMINAL_PATH = /^\/api\/sessions\/([a-z0-9]{1,32})\/nodes\/([^/]+)\/terminal$/;
/** The instructor's read-only view of a learner's terminal. */
const WATCH_PATH = /^\/api\/instructor\/learners\/([a-z0-9]{1,32})\/nodes\/([^/]+)\/terminal$/;

/** Resolves an instructor's credential and a learner to the session they may watch (read-only), or throws an HttpError. */
export type WatchAuthorizer = (instructorToken: string | undefined, learnerId: string) => Session;
const HEARTBEAT_MS = 30_000;
/** Frames a client may send before its terminal is attached (a shell starting takes a moment); more closes the socket. */
export const PRE_ATTACH_MAX_BYTES = 64 * 1024;
export const PRE_ATTACH_MAX_FRAMES = 256;

export interface Terminals {
  hub: TerminalHub;
  /** The websocket route for startServer's upgrade handler. */
  route(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

/**
 * The terminal websocket: `/api/sessions/:id/nodes/:node/terminal?token=…&since=…` (docs/terminals.md), and
 * with `watch` the instructor's read-only view of a learner's terminals.
 */
export function setupTerminals(
  sessions: SessionManager,
  log: Logger,
  options: { watch?: WatchAuthorizer; hub?: TerminalHub; /** Origins accepted besides the socket's own (the public URL). */ allowedOrigins?: readonly string[]; metrics?: SocketMetrics } = {},
): Terminals {
  const { watch, hub = new TerminalHub(), allowedOrigins = [], metrics } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: false });
  const unsubscribe = sessions.onEnded(({ sessionId }) => hub.closeSession(sessionId));
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  function route(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const own = TERMINAL_PATH.exec(url.pathname);
    const watched = own ? null : WATCH_PATH.exec(url.pathname);
    const match = own ?? watched;
    if (!match) return false;
    const [, pathId, nodeName] = match;
    const readonly = watched !== null;
    let sessionId = pathId;
    let terminal;
    let query;
    let releaseSocket: () => void;
    try {
      requireSameOrigin(req, allowedOrigins);
      let session: Session;
      if (readonly) {
        if (!watch) throw new HttpError(404, 'not_found', 'read-only terminals are not available');
        session = watch(credential(req, INSTRUCTOR_COOKIE), pathId);
        sessionId = session.id;
      } else {
        session = sessions.authorize(pathId, sessionToken(req));
      }
      if (!NODE_NAME.test(nodeName)) throw badRequest('invalid node name');
      sessions.requireNode(session, nodeName);
      const parsed = TerminalQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) throw badRequest(`invalid query: ${firstIssueMessage(parsed.error)}`);
      query = parsed.data;
      // A watching instructor is not the learner: their sockets do not count against the learner's session.
      releaseSocket = readonly ? () => undefined : sessions.holdSocket(session);
      terminal = hub.terminal(
        session.id,
        nodeName,
        (size) => sessions.openTerminal(session, nodeName, size),
        () => sessions.ids().includes(session.id),
      );
    } catch (error) {
      metrics?.websocketError('terminal', String(toHttpError(error).status));
      refuseUpgrade(socket, error);
      return true;
    }
    const { since, epoch, cols, rows } = query;
    socket.once('close', () => releaseSocket());
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      const sink: TerminalSink = {
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        sendBinary: (data) => ws.send(data, { binary: true }),
        sendText: (message) => ws.send(JSON.stringify(message)),
        close: (code, reason) => ws.close(code, reason),
      };
      let attachment: Attachment | undefined;
      const early: Array<[Buffer, boolean]> = [];
      let earlyBytes = 0;
      const handle = (data: Buffer, isBinary: boolean) => {
        if (!attachment) {
          earlyBytes += data.length;
          if (earlyBytes > PRE_ATTACH_MAX_BYTES || early.length >= PRE_ATTACH_MAX_FRAMES) {
            early.length = 0;
            return void ws.close(1008, 'too much input before the terminal attached');
          }
          return void early.push([data, isBinary]);
        }
        if (isBinary) {
          // Backpressure on keystrokes: while the shell's input is full, stop reading this socket.
          if (!attachment.input(data) && !ws.isPaused) {
            ws.pause();
            attachment.whenWritable(() => ws.resume());
          }
          return;
        }
        const parsed = parseControlFrame(data.toString('utf8'));
        if (!parsed.ok) return sink.sendText({ type: 'error', message: parsed.error });
        const message = parsed.message;
        if (message.type === 'resize') attachment.resize({ cols: message.cols, rows: message.rows });
        else if (message.type === 'flow') attachment.flow(message.paused);
        else if (message.type === 'ping') sink.sendText({ type: 'pong', ...(message.id !== undefined ? { id: message.id } : {}) });
      };
      ws.on('message', (data, isBinary) => handle(toBuffer(data), isBinary));
      ws.on('error', () => metrics?.websocketError('terminal', 'socket_error'));
      ws.on('close', () => attachment?.detach());
      terminal
        .attach(sink, { since, epoch, readonly, size: { cols, rows } })
        .then((attached) => {
          if (ws.readyState !== ws.OPEN) return attached.detach();
          attachment = attached;
          for (const [data, isBinary] of early.splice(0)) handle(data, isBinary);
        })
        .catch((error: Error) => {
          log.warn({ err: error, session: sessionId, node: nodeName }, 'terminal could not start');
          metrics?.websocketError('terminal', 'start_failed');
          sink.sendText({ type: 'error', message: `the terminal could not start: ${error.message.split('\n')[0]}` });
          ws.close(TERMINAL_CLOSE.startFailed, 'terminal could not start');
        });
    });
    return true;
  }

  return {
    hub,
    route,
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      hub.closeAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
