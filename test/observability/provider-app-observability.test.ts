import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { metricsRegistry } from '../../src/observability/metrics.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { createProviderApp, type ProviderApp } from '../../src/provider-app.js';
import { captureLogs } from '../support/captured-logs.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';

// The provider app alone (no card, no bridge): what it logs and counts by itself.
let dir: string;
let app: ProviderApp;
let redisDown = false;

/** A store that answers like Redis during an outage while `redisDown` is set. */
class FlakyStore extends MemoryStateStore {
  override async ping(): Promise<boolean> {
    if (redisDown) throw new StorageUnavailableError(new Error('connect ECONNREFUSED'));
    return super.ping();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-observability-'));
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3999' });
  app = await createProviderApp({ config, storage: { store: new FlakyStore(), backend: 'redis' } });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const samples = async () => parsePrometheusText(await metricsRegistry.metrics());

test('a storage outage is counted by backend, store and code', async () => {
  const labels = { backend: 'redis', store: 'state', code: 'storage_unavailable' };
  const before = total(await samples(), 'cie_storage_errors_total', labels);
  redisDown = true;
  try {
    expect((await request(app.provider.callback()).get('/readyz')).status).toBe(503);
  } finally {
    redisDown = false;
  }
  expect((await request(app.provider.callback()).get('/readyz')).status).toBe(200);
  expect(total(await samples(), 'cie_storage_errors_total', labels) - before).toBe(1);
  expect(total(await samples(), 'cie_storage_operation_duration_seconds_count', { backend: 'redis', store: 'state', operation: 'ping' })).toBeGreaterThanOrEqual(2);
});

test('oidc-provider\'s server errors are logged with their cause, redacted, under the request\'s id', async () => {
  const logs = captureLogs();
  try {
    app.provider.emit('server_error', {}, new Error('adapter failed for code=Zk3xQ9vW2pL8mN4bR7tY1uI6oP0aS5dF3gH8jK2lZ9x'));
    const answer = await request(app.provider.callback()).get('/healthz').set('x-request-id', 'probe-1');
    expect(answer.headers['x-request-id']).toBe('probe-1');
  } finally {
    logs.restore();
  }
  expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'error', component: 'oidc', event: 'server_error', error: expect.objectContaining({ message: 'adapter failed for code=[redacted]' }) }));
  // A health probe that succeeds is a debug line, not one at every probe in the info log.
  expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'debug', component: 'http', event: 'request', reqId: 'probe-1', path: '/healthz', status: 200 }));
  expect(logs.raw.join('\n')).not.toContain('Zk3xQ9vW2pL8mN4bR7tY1uI6oP0aS5dF3gH8jK2lZ9x');
});

test('an error that escapes every handler is one redacted JSON line under the request id, never koa\'s console.error with its stack', async () => {
  const { jest } = await import('@jest/globals');
  const secret = 'Zk3xQ9vW2pL8mN4bR7tY1uI6oP0aS5dF3gH8jK2lZ9x';
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const logs = captureLogs();
  try {
    // Both ways an error reaches koa's 'error' event: thrown past every middleware, and emitted by one that answers itself.
    app.provider.use(async (ctx, next) => {
      if (ctx.path === '/test-thrown') throw new Error(`broken with code=${secret}`);
      if (ctx.path === '/test-emitted') {
        ctx.app.emit('error', new Error(`not recorded: refresh_token=${secret}`), ctx);
        ctx.status = 500;
        ctx.body = { error: 'server_error' };
        return;
      }
      await next();
    });
    expect((await request(app.provider.callback()).get('/test-thrown').set('x-request-id', 'thrown-1')).status).toBe(500);
    expect((await request(app.provider.callback()).get('/test-emitted').set('x-request-id', 'emitted-1')).status).toBe(500);
  } finally {
    logs.restore();
    printed.mockRestore();
  }
  expect(printed).not.toHaveBeenCalled();
  const errors = logs.lines.filter((line) => line.level === 'error');
  expect(errors).toEqual([
    expect.objectContaining({ reqId: 'thrown-1', error: expect.objectContaining({ message: 'broken with code=[redacted]' }) }),
    expect.objectContaining({ reqId: 'emitted-1', error: expect.objectContaining({ message: 'not recorded: refresh_token=[redacted]' }) }),
  ]);
  expect(logs.raw.join('\n')).not.toContain(secret);
});

test('the request\'s id rides in oidc-provider\'s own async store: Provider.ctx is the request\'s context from the outermost layer on, and lines written inside a library route carry the id', async () => {
  const { default: Provider } = await import('oidc-provider');
  const { loggerFor } = await import('../../src/shared/logger.js');
  const { currentRequestId } = await import('../../src/shared/request-context.js');
  const seen: Array<{ where: string; isTheRequest: boolean; requestId: string | undefined }> = [];
  // Before the library's router (provider.use inserts in front of it): only our outermost layer has entered the store yet.
  app.provider.use(async (ctx, next) => {
    if (ctx.path === '/auth') seen.push({ where: 'our layer', isTheRequest: Provider.ctx === ctx, requestId: currentRequestId() });
    await next();
  });
  const insideRoute = (ctx: unknown) => {
    seen.push({ where: 'library route', isTheRequest: Provider.ctx === ctx, requestId: currentRequestId() });
    loggerFor('inside-library').info('authorization refused');
  };
  app.provider.on('authorization.error', insideRoute);
  const logs = captureLogs();
  try {
    const answer = await request(app.provider.callback()).get('/auth?client_id=nobody&response_type=code&scope=openid').set('x-request-id', 'library-1');
    expect(answer.status).toBe(400);
  } finally {
    logs.restore();
    app.provider.off('authorization.error', insideRoute);
  }
  expect(seen).toEqual([
    { where: 'our layer', isTheRequest: true, requestId: 'library-1' },
    { where: 'library route', isTheRequest: true, requestId: 'library-1' },
  ]);
  expect(logs.lines.find((line) => line.component === 'inside-library')).toMatchObject({ reqId: 'library-1' });
});

test('without a metrics endpoint (METRICS_PORT empty) nothing is timed: no storage call or request is measured, and requests still answer', async () => {
  const quietDir = await mkdtemp(join(tmpdir(), 'cie-unmetered-'));
  try {
    const config = loadProviderConfig({ KEYS_DIR: quietDir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3998', METRICS_PORT: '' });
    const unmetered = await createProviderApp({ config, storage: { store: new MemoryStateStore(), backend: 'memory' } });
    const counted = async () => {
      const now = await samples();
      return {
        storage: total(now, 'cie_storage_operation_duration_seconds_count', { backend: 'memory' }),
        requests: total(now, 'cie_http_request_duration_seconds_count', { service: 'provider' }),
      };
    };
    const before = await counted();
    expect((await request(unmetered.provider.callback()).get('/readyz')).status).toBe(200);
    expect((await request(unmetered.provider.callback()).get('/jwks')).status).toBe(200);
    expect(await counted()).toEqual(before);
    // The metered app beside it still counts its own.
    await request(app.provider.callback()).get('/jwks');
    expect((await counted()).requests).toBe(before.requests + 1);
    unmetered.close();
  } finally {
    await rm(quietDir, { recursive: true, force: true });
  }
});
