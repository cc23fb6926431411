import Koa from 'koa';
import request from 'supertest';
import { SessionEventHub } from '../../src/sign-in/smartphone/session-event-hub.js';
import { smartphoneRoutes } from '../../src/sign-in/smartphone/smartphone-routes.js';
import { FixedWindowLimiter } from '../../src/storage/state/rate-limiter.js';
import { PHONE_BROWSER } from '../../src/sign-in/smartphone/smartphone-sign-in-method.js';
import { BINDING, phoneHarness } from './support/phone-harness.js';

function appOver(h: ReturnType<typeof phoneHarness>, options: { requestsPerMinute: number; maxSubscribersPerSession?: number }) {
  const hub = new SessionEventHub({ readState: (id) => h.sessions.state(id), maxSubscribers: 100, maxSubscribersPerSession: options.maxSubscribersPerSession ?? 4, heartbeatSeconds: 0, refreshSeconds: 0 });
  const routes = smartphoneRoutes({
    sessions: h.sessions,
    hub,
    perNetwork: new FixedWindowLimiter(h.store, { name: 'phone-ip', limit: options.requestsPerMinute, windowSeconds: 60, windowStart: 'clock' }, () => h.clock.now),
    onConfirmed: async () => '/done',
    waiters: {},
  });
  const app = new Koa();
  app.use(routes.routes());
  return { app: app.callback(), hub };
}

describe('limits of the smartphone endpoints', () => {
  test('requests per client network: past the limit the answer is 429 with Retry-After and the typed JSON', async () => {
    const h = phoneHarness();
    const { app, hub } = appOver(h, { requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await request(app).post('/smartphone/app/open').send({ code: 'AAAA-AAAA' })).status).toBe(409);
    const limited = await request(app).post('/smartphone/app/open').send({ code: 'AAAA-AAAA' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ error: 'too_many_requests', retryable: true });
    h.advance(60);
    expect((await request(app).post('/smartphone/app/open').send({ code: 'AAAA-AAAA' })).status).toBe(409);
    hub.close();
  });

  test('a session\'s streams past its bound get 503 too_many_streams as JSON, before any stream is written', async () => {
    const h = phoneHarness();
    const { app, hub } = appOver(h, { requestsPerMinute: 0, maxSubscribersPerSession: 1 });
    const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    // One stream held open by the hub directly; the HTTP one is the second.
    await hub.subscribe(started.sessionId, { write: () => undefined, end: () => undefined });
    const refused = await request(app).get(`/smartphone/session/${started.sessionId}/events`).set('Cookie', `${PHONE_BROWSER.cookieName(started.sessionId)}=${started.browserSecret}`);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'too_many_streams', retryable: true });
    hub.close();
  });
});
