/** The one error type routes throw; the HTTP error handler turns it into JSON with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/**
 * Infrastructure ran out of room for more (subnets, nodes): worth asking again later. Engine, node and store
 * code throw this instead of choosing an HTTP status; the http layer answers it with 503 and Retry-After.
 */
export class CapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityError';
  }
}
