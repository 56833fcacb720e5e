import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AggregatorRegistry } from 'prom-client';
import type { ApiDeps } from '../app.js';
import { requireScope } from '../auth.js';

export function healthRoutes(router: Router, deps: ApiDeps): void {
  router.get('/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      await deps.ping();
      checks.redis = 'ok';
    } catch {
      checks.redis = 'unavailable';
    }
    const threadFailure = deps.threadFailure();
    checks.model = threadFailure ? `unavailable: ${threadFailure.message}` : 'ok';
    const ready = checks.redis === 'ok' && !threadFailure;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks, model: deps.model, ...(deps.search ? { indexSize: deps.search.index.prompts.size } : {}) };
  });

  if (deps.config.METRICS_ENABLED) {
    const access: Middleware[] = deps.config.METRICS_AUTH ? [requireScope('any')] : [];
    router.get('/metrics', ...access, async (ctx) => {
      const merged = AggregatorRegistry.aggregate([await deps.metrics.registry.getMetricsAsJSON(), await deps.threadMetrics()]);
      ctx.type = merged.contentType;
      ctx.body = await merged.metrics();
    });
  }
}
