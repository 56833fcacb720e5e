/**
 * One class per meaning. Each carries a stable `code` clients can branch on; the HTTP layer alone
 * decides the status (src/runtime/http/errors-middleware.ts), so use-cases and queries throw what
 * went wrong, not how to say it over HTTP.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed but a value in it is not acceptable (the details say which). */
export class InvalidError extends AppError {
  readonly code = 'invalid_request';
}

/** The body is not JSON we can read: bad UTF-8, bad syntax, a key twice. */
export class MalformedJsonError extends AppError {
  readonly code = 'invalid_json';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly code = 'method_not_allowed';
}

/** No valid credentials. */
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
}

/** Valid credentials that lack the right. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
}

export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
}

/** A dependency (the store) is away: the request can be retried, it is not our bug. */
export class UnavailableError extends AppError {
  readonly code = 'unavailable';
}
