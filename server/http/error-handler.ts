import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendError } from './error-body.js';

export function notFoundHandler(): RequestHandler {
  return (req, res) => void sendError(res, new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`));
}

/** Every error leaves as JSON with a status; body-parser's own errors keep their meaning; unknown ones are logged. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    const sent = sendError(res, error);
    if (sent.code === 'internal' && !(error instanceof HttpError)) log.error({ err: error, path: req.path }, 'unhandled error');
  };
}
