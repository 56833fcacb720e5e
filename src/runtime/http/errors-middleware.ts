import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError } from '../../app/errors.js';

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
      if (ctx.status === 405 && ctx.body === undefined) {
        throw new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow')}`);
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
      // A request refused before its body was read would leave that body to be parsed as the next request.
      if (!ctx.req.complete) ctx.set('Connection', 'close');
      ctx.status = app.status;
      ctx.body = { error: { code: app.code, message: app.message, ...(app.details ? { details: app.details } : {}) } };
    }
  };
}
