import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { pathGatedRouters } from '../../src/shared/path-gated-routes.js';

/** A router of the provider's kind, gated, in front of a catch-all that says who answered. */
function appWith(router: Router, seen: string[] = [], routerRan: boolean[] = []) {
  const app = new Koa();
  app.use(pathGatedRouters([router]));
  app.use((ctx) => {
    seen.push(ctx.path);
    // @koa/router's matcher leaves its bookkeeping on the context even when nothing matched.
    routerRan.push((ctx as { matched?: unknown }).matched !== undefined);
    ctx.body = 'next';
  });
  return app.callback();
}

function sampleRouter(dispatched: string[]): Router {
  const router = new Router();
  // Router-level middleware: runs only when a route of this router matched, gate or no gate.
  router.use(async (ctx, next) => {
    dispatched.push(ctx.path);
    await next();
  });
  router.get('/cie/session/:id', (ctx) => void (ctx.body = `session ${ctx.params.id}`));
  router.post('/cie/assertion', (ctx) => void (ctx.body = 'assertion'));
  router.get('/help{/:topic}', (ctx) => void (ctx.body = `help ${ctx.params.topic ?? ''}`));
  return router;
}

describe('pathGatedRouters: a router skipped when no route of it can match the path', () => {
  test('the routes answer as without the gate: parameters, optional parts, methods', async () => {
    const dispatched: string[] = [];
    const app = appWith(sampleRouter(dispatched));
    expect((await request(app).get('/cie/session/abc')).text).toBe('session abc');
    expect((await request(app).post('/cie/assertion')).text).toBe('assertion');
    expect((await request(app).get('/help')).text).toBe('help ');
    expect((await request(app).get('/help/pin')).text).toBe('help pin');
    expect(dispatched).toEqual(['/cie/session/abc', '/cie/assertion', '/help', '/help/pin']);
  });

  test('the routes keep @koa/router\'s case rule: a path in capitals still reaches them', async () => {
    const app = appWith(sampleRouter([]));
    expect((await request(app).get('/CIE/Session/abc')).text).toBe('session abc');
  });

  test('a request for a path none of its routes start with goes on to the next middleware, the router untouched', async () => {
    const dispatched: string[] = [];
    const seen: string[] = [];
    const routerRan: boolean[] = [];
    const app = appWith(sampleRouter(dispatched), seen, routerRan);
    for (const path of ['/auth', '/token', '/ci', '/he', '/']) {
      expect((await request(app).get(path)).text).toBe('next');
    }
    expect(seen).toEqual(['/auth', '/token', '/ci', '/he', '/']);
    expect(routerRan).toEqual([false, false, false, false, false]);
    expect(dispatched).toEqual([]);
  });

  test('a path with a route\'s prefix but no matching route, or another method, is the router\'s to pass on as before', async () => {
    const seen: string[] = [];
    const routerRan: boolean[] = [];
    const app = appWith(sampleRouter([]), seen, routerRan);
    expect((await request(app).get('/cie/assertion')).text).toBe('next');
    expect((await request(app).get('/cie/session/a/b')).text).toBe('next');
    expect(seen).toEqual(['/cie/assertion', '/cie/session/a/b']);
    expect(routerRan).toEqual([true, true]);
  });

  test('a literal prefix with characters special in regular expressions is matched literally', async () => {
    const router = new Router();
    router.get('/.well-known/openid-federation', (ctx) => void (ctx.body = 'entity'));
    const app = appWith(router);
    expect((await request(app).get('/.well-known/openid-federation')).text).toBe('entity');
    expect((await request(app).get('/x-well-known/openid-federation')).text).toBe('next');
  });

  test('a router with a route given as a regular expression is never skipped', async () => {
    const byExpression = new Router();
    byExpression.get(/^\/v\d+\/status$/, (ctx) => void (ctx.body = 'status'));
    expect((await request(appWith(byExpression)).get('/v2/status')).text).toBe('status');
  });

  test('a router with no route (a method whose options turned its routes off) is always skipped, whatever the path', async () => {
    const dispatched: string[] = [];
    const routerRan: boolean[] = [];
    const empty = new Router();
    empty.use(async (ctx, next) => {
      dispatched.push(ctx.path);
      await next();
    });
    const app = appWith(empty, [], routerRan);
    for (const path of ['/anything', '/', '/auth']) expect((await request(app).get(path)).text).toBe('next');
    expect(routerRan).toEqual([false, false, false]);
    expect(dispatched).toEqual([]);
  });

  test('several routers as one layer: each skipped unless its paths may match, the others in their order, falling through to the next', async () => {
    const order: string[] = [];
    const first = new Router();
    first.get('/shared/:id', async (ctx, next) => {
      order.push(`first ${ctx.params.id}`);
      await next();
    });
    first.get('/only-first', (ctx) => void (ctx.body = 'first'));
    const second = new Router();
    second.get('/shared/:id', (ctx) => void (ctx.body = `second ${ctx.params.id}`));
    const empty = new Router();
    const app = new Koa();
    app.use(pathGatedRouters([first, empty, second]));
    app.use((ctx) => void (ctx.body = 'next'));
    const server = app.callback();
    expect((await request(server).get('/shared/7')).text).toBe('second 7');
    expect(order).toEqual(['first 7']);
    expect((await request(server).get('/only-first')).text).toBe('first');
    expect((await request(server).get('/elsewhere')).text).toBe('next');
    expect((await request(server).get('/shared')).text).toBe('next');
  });
});
