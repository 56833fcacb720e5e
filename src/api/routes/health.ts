import type Router from '@koa/router';
import { AggregatorRegistry } from 'prom-client';
import type { ApiDeps } from '../app.js';

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
    if (deps.search) checks.model = `${deps.search.embedder.modelId} (${deps.search.embedder.dimension}-d)`;
    const ready = checks.redis === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks, ...(deps.search ? { indexSize: deps.search.index.prompts.size } : {}) };
  });

  if (deps.config.METRICS_ENABLED) {
    router.get('/metrics', async (ctx) => {
      const merged = AggregatorRegistry.aggregate([await deps.metrics.registry.getMetricsAsJSON(), await deps.threadMetrics()]);
      ctx.type = merged.contentType;
      ctx.body = await merged.metrics();
    });
  }
}
