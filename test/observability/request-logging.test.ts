import { createServer } from 'node:http';
import Koa from 'koa';
import request from 'supertest';
import { loggerFor } from '../../src/shared/logger.js';
import { acceptedRequestId } from '../../src/shared/request-context.js';
import { requestLogging, withRequestLogging } from '../../src/shared/request-logging.js';
import { captureLogs } from '../support/captured-logs.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const pause = () => new Promise((resolve) => setImmediate(resolve));

test('every line written while a request is served carries its id, across awaits, also with requests interleaved', async () => {
  const app = new Koa();
  app.use(requestLogging('http'));
  app.use(async (ctx) => {
    const log = loggerFor('handler');
    log.info({ step: 'start' });
    await pause();
    log.warn({ step: 'after an await' });
    ctx.body = 'ok';
  });
  const server = app.callback();
  const ids = ['first-1', 'second-2', 'third-3'];
  const answers = await Promise.all(ids.map((id) => request(server).get('/x?code=SECRETCODE123456').set('x-request-id', id)));
  expect(answers.map((answer) => answer.headers['x-request-id'])).toEqual(ids);
  for (const id of ['first-1', 'second-2', 'third-3']) {
    const lines = logs.lines.filter((line) => line.reqId === id);
    expect(lines.map((line) => [line.component, line.step ?? line.event])).toEqual([['handler', 'start'], ['handler', 'after an await'], ['http', 'request']]);
    expect(lines[2]).toMatchObject({ method: 'GET', path: '/x', status: 200 });
  }
  expect(logs.raw.join('\n')).not.toContain('SECRETCODE123456');
  // Outside any request: no id.
  loggerFor('idle').info('between requests');
  expect(logs.lines.at(-1)).not.toHaveProperty('reqId');
});

test('a request whose handler throws is logged with the status koa answers, and the error', async () => {
  const app = new Koa();
  app.silent = true;
  app.use(requestLogging('http'));
  app.use(async () => {
    throw new Error('boom with Bearer abc.def.ghi');
  });
  expect((await request(app.callback()).get('/fails').set('x-request-id', 'fail-1')).status).toBe(500);
  const lines = logs.lines.filter((line) => line.reqId === 'fail-1');
  expect(lines.map((line) => [line.level, line.event])).toEqual([['error', 'request_failed'], ['info', 'request']]);
  expect(lines[1]).toMatchObject({ path: '/fails', status: 500 });
  expect(logs.raw.join('\n')).not.toContain('abc.def.ghi');
});

test('the plain node:http form (trust anchor) echoes and logs the same way', async () => {
  const server = createServer(withRequestLogging('trust-anchor-http', (_request, response) => {
    loggerFor('anchor').info('handling');
    response.end('ok');
  }));
  const answer = await request(server).get('/fetch?sub=x').set('x-request-id', 'anchor-1');
  expect(answer.headers['x-request-id']).toBe('anchor-1');
  expect(logs.lines.filter((line) => line.reqId === 'anchor-1').map((line) => line.component)).toEqual(['anchor', 'trust-anchor-http']);
  expect(logs.lines.find((line) => line.component === 'trust-anchor-http')).toMatchObject({ path: '/fetch', status: 200 });
});

test('acceptedRequestId keeps only 1–64 characters of [A-Za-z0-9._:-]', () => {
  expect(acceptedRequestId('abc-DEF_1.2:3')).toBe('abc-DEF_1.2:3');
  expect(acceptedRequestId(['first', 'second'])).toBe('first');
  for (const bad of [undefined, '', 'a b', 'x'.repeat(65), 'line\nbreak', 'é']) expect(acceptedRequestId(bad)).not.toBe(bad);
});

test('a logger made before the logging is configured follows the new settings, keeps its component once per line, and a caller\'s own reqId field wins', async () => {
  const early = loggerFor('early');
  logs.restore();
  logs = captureLogs('info');
  early.debug('below the level');
  early.info({ event: 'first' });
  await new Promise<void>((resolve) => {
    const app = new Koa();
    app.use(requestLogging('http'));
    app.use((ctx) => {
      early.info({ event: 'named', reqId: 'set-by-caller' });
      ctx.body = 'ok';
    });
    void request(app.callback()).get('/x').set('x-request-id', 'from-header').then(() => resolve());
  });
  const own = logs.raw.filter((line) => line.includes('"component":"early"'));
  expect(own.map((line) => line.match(/"component"/g)?.length)).toEqual([1, 1]);
  expect(logs.lines.filter((line) => line.component === 'early').map((line) => [line.event, line.reqId])).toEqual([['first', undefined], ['named', 'set-by-caller']]);
  expect(logs.lines.find((line) => line.event === 'request')).toMatchObject({ reqId: 'from-header' });
});
