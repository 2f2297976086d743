import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { HttpError } from '../errors.js';

/** Refuses a websocket upgrade with an HTTP status and a JSON body, before any websocket byte flows. */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const status = error instanceof HttpError ? error.status : 500;
  const code = error instanceof HttpError ? error.code : 'internal';
  const message = error instanceof HttpError ? error.message : 'internal error';
  const body = JSON.stringify({ error: { status, code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
