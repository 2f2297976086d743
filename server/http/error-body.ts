import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorView } from '../../shared/protocol.js';
import { ContainerNotRunningError } from '../engine/docker-engine.js';
import { EngineUnavailableError } from '../engine/engine-deadline.js';
import { CapacityError, HttpError } from '../errors.js';
import { BlockNotFoundError } from '../lessons/block-command.js';
import { MissingPlaceholderError } from '../lessons/placeholders.js';

/** Every error as the HttpError it is answered with: domain errors get their status here, anything unknown is a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof CapacityError) return new HttpError(503, 'server_full', error.message, { 'Retry-After': '30' });
  if (error instanceof EngineUnavailableError) return new HttpError(503, 'engine_unavailable', error.message, { 'Retry-After': '10' });
  if (error instanceof ContainerNotRunningError) return new HttpError(409, 'node_down', error.message);
  if (error instanceof BlockNotFoundError) return new HttpError(404, 'not_found', error.message);
  if (error instanceof MissingPlaceholderError) return new HttpError(409, 'not_ready', error.message);
  const parserType = (error as { type?: string } | undefined)?.type;
  if (parserType === 'entity.parse.failed') return new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  if (parserType === 'entity.too.large') return new HttpError(413, 'body_too_large', 'the request body is too large');
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status, 'bad_request', (error as Error).message);
  return new HttpError(500, 'internal', 'internal error');
}

/** The one error body: `{ error: { status, code, message } }`. */
export function errorBody(error: HttpError): string {
  const body: ErrorView = { error: { status: error.status, code: error.code, message: error.message } };
  return JSON.stringify(body);
}

/** Answers a plain HTTP response with an error (express routes reach this through the error handler). */
export function sendError(res: ServerResponse, error: unknown): HttpError {
  const http = toHttpError(error);
  const body = errorBody(http);
  res.writeHead(http.status, { ...http.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body);
  return http;
}

/** Refuses a websocket upgrade with an HTTP status and the same JSON body, before any websocket byte flows. */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const http = toHttpError(error);
  const body = errorBody(http);
  const headers = Object.entries(http.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${http.status} ${STATUS_CODES[http.status] ?? 'Error'}\r\nConnection: close\r\n${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
