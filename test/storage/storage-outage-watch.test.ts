import Koa from 'koa';
import request from 'supertest';
import { currentRequestId } from '../../src/shared/request-context.js';
import { requestLogging } from '../../src/shared/request-logging.js';
import { StorageOutageWatch } from '../../src/storage/guard/storage-outage-watch.js';
import { storageGuard } from '../../src/storage/guard/storage-guard.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { captureLogs } from '../support/captured-logs.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const pause = () => new Promise((resolve) => setImmediate(resolve));
const down = () => Promise.reject(new StorageUnavailableError(new Error('connection refused')));
const up = () => Promise.resolve('value');

/** The provider's order: request logging outermost, the guard inside it, then a handler that swallows storage errors. */
function app(watch: StorageOutageWatch, withRequestLogging: boolean) {
  const koa = new Koa();
  if (withRequestLogging) koa.use(requestLogging('http'));
  koa.use(storageGuard({ watch, isBrowserRoute: () => false, renderPage: async () => undefined }));
  koa.use(async (ctx) => {
    await pause();
    // A handler that turns the failure into its own answer: the guard must still see it.
    if (ctx.query.storage === 'down') await watch.observe(down).catch(() => undefined);
    else await watch.observe(up);
    await pause();
    ctx.body = { requestId: currentRequestId() ?? null };
  });
  return koa.callback();
}

describe('the storage outage watch, kept in the request\'s own scope', () => {
  for (const withRequestLogging of [true, false]) {
    test(`interleaved requests: only the one whose storage call failed answers 503 (${withRequestLogging ? 'inside request logging' : 'alone'})`, async () => {
      const server = app(new StorageOutageWatch(), withRequestLogging);
      const paths = ['/a?storage=up', '/b?storage=down', '/c?storage=up', '/d?storage=down', '/e?storage=up'];
      const answers = await Promise.all(paths.map((path, index) => request(server).get(path).set('x-request-id', `req-${index}`)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 503, 200, 503, 200]);
      expect(answers[1]!.headers['retry-after']).toBe('5');
      // The request id is still the request's inside the watched handler (null without request logging).
      expect(answers.filter((answer) => answer.status === 200).map((answer) => (answer.body as { requestId: unknown }).requestId)).toEqual(withRequestLogging ? ['req-0', 'req-2', 'req-4'] : [null, null, null]);
    });
  }

  test('two watches in one request (nested guards) each see only their own storage calls', async () => {
    const outer = new StorageOutageWatch();
    const inner = new StorageOutageWatch();
    const koa = new Koa();
    koa.use(requestLogging('http'));
    koa.use(storageGuard({ watch: outer, isBrowserRoute: () => false, renderPage: async () => undefined }));
    koa.use(async (ctx, next) => {
      const innerFailed = await inner.watch(async () => {
        await inner.observe(down).catch(() => undefined);
      });
      ctx.set('x-inner-failed', String(innerFailed));
      await next();
    });
    koa.use(async (ctx) => {
      await outer.observe(up);
      ctx.body = 'ok';
    });
    const answer = await request(koa.callback()).get('/');
    expect(answer.status).toBe(200);
    expect(answer.headers['x-inner-failed']).toBe('true');
  });

  test('the same watch run twice in one request starts afresh each time', async () => {
    const watch = new StorageOutageWatch();
    const koa = new Koa();
    koa.use(requestLogging('http'));
    koa.use(async (ctx) => {
      const first = await watch.watch(async () => {
        await watch.observe(down).catch(() => undefined);
      });
      const second = await watch.watch(async () => {
        await watch.observe(up);
      });
      ctx.body = { first, second };
    });
    expect((await request(koa.callback()).get('/')).body).toEqual({ first: true, second: false });
  });

  test('a storage call outside any watched request flags nothing and still fails as it did', async () => {
    const watch = new StorageOutageWatch();
    await expect(watch.observe(down)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(watch.observe(up)).resolves.toBe('value');
  });
});
