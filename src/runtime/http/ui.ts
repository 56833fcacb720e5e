import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { NotFoundError } from '../../app/errors.js';

/**
 * The analyst workspace, a built single-page app (src/ui, `npm run build:ui`) served as files at
 * /ui. The page itself needs no key (it holds no data); everything it shows comes from the API with
 * the analyst's key. Its Content-Security-Policy lets it load nothing but its own files and talk to
 * nothing but this service, so a prompt that smuggles markup past a bug still cannot run script.
 */
export function uiFiles(dir: string): Middleware {
  const built = existsSync(path.join(dir, 'index.html'));
  const files = serve(dir, {
    index: 'index.html',
    setHeaders(res, file) {
      res.setHeader('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      // Asset names carry their content hash; the page itself must be fetched fresh to find new ones.
      res.setHeader('Cache-Control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  const ui = mount('/ui', async (ctx, next) => {
    if (!built) throw new NotFoundError('the analyst workspace (build it with npm run build:ui)');
    await files(ctx, next);
  });
  return async (ctx, next) => {
    // `/ui` without its slash would resolve the page's relative asset paths against `/`.
    if (ctx.path === '/ui') return ctx.redirect('/ui/');
    return ui(ctx, next);
  };
}
