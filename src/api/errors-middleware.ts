import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

/** Redis gone or unreachable: the request can be retried, it is not our bug. */
export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Reached the max retries/.test(err.message)
  );
}

export function errorsMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      let app: AppError;
      if (err instanceof AppError) app = err;
      else if (isStoreUnavailable(err)) app = new AppError(503, 'unavailable', 'storage is unavailable, retry later');
      else {
        logger.error({ err, path: ctx.path }, 'unhandled error');
        app = new AppError(500, 'internal', 'internal error');
      }
      if (app.status === 503) ctx.set('Retry-After', '1');
      ctx.status = app.status;
      ctx.body = { error: { code: app.code, message: app.message, ...(app.details ? { details: app.details } : {}) } };
    }
  };
}
