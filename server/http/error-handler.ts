import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorView } from '../../shared/protocol.js';
import { HttpError } from '../errors.js';
import type { Logger } from '../logger.js';

function send(res: Parameters<RequestHandler>[1], error: HttpError): void {
  const body: ErrorView = { error: { status: error.status, code: error.code, message: error.message } };
  res.status(error.status).set(error.headers).json(body);
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => send(res, new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`));
}

/** Every error leaves as JSON with a status; body-parser's own errors keep their meaning. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) return send(res, error);
    const parserType = (error as { type?: string }).type;
    if (parserType === 'entity.parse.failed') return send(res, new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`));
    if (parserType === 'entity.too.large') return send(res, new HttpError(413, 'body_too_large', 'the request body is too large'));
    if (typeof (error as { status?: number }).status === 'number' && (error as { status: number }).status < 500) {
      return send(res, new HttpError((error as { status: number }).status, 'bad_request', (error as Error).message));
    }
    log.error({ err: error, path: req.path }, 'unhandled error');
    send(res, new HttpError(500, 'internal', 'internal error'));
  };
}
