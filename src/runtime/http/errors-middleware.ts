import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import {
  AppError,
  ForbiddenError,
  InvalidError,
  MalformedJsonError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedMediaTypeError,
} from '../../app/errors.js';

/** The one place an error's meaning becomes an HTTP status. */
const STATUS = new Map<abstract new (...args: never[]) => AppError, number>([
  [InvalidError, 400],
  [MalformedJsonError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [MethodNotAllowedError, 405],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [RateLimitedError, 429],
  [UnavailableError, 503],
]);

function statusOf(err: AppError): number {
  for (const [type, status] of STATUS) if (err instanceof type) return status;
  return 500;
}

/**
 * Maps every error to `{error: {code, message[, details]}}`. `isOutage` tells a store that is away
 * (the Redis adapter's, by error type and client state) from a bug: the first is a 503 with
 * Retry-After, the second a 500 that leaks nothing.
 */
export function errorsMiddleware(logger: Logger, isOutage: (err: unknown) => boolean): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`route ${ctx.method} ${ctx.path}`);
      if (ctx.status === 405 && ctx.body === undefined) {
        throw new MethodNotAllowedError(`${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow')}`);
      }
    } catch (err) {
      const app: AppError | null = err instanceof AppError ? err : isOutage(err) ? new UnavailableError('storage is unavailable, retry later') : null;
      if (!app) logger.error({ err, path: ctx.path }, 'unhandled error');
      const status = app ? statusOf(app) : 500;
      if (status === 503) ctx.set('Retry-After', '1');
      // A request refused before its body was read would leave that body to be parsed as the next request.
      if (!ctx.req.complete) ctx.set('Connection', 'close');
      ctx.status = status;
      ctx.body = { error: app ? { code: app.code, message: app.message, ...(app.details ? { details: app.details } : {}) } : { code: 'internal', message: 'internal error' } };
    }
  };
}
