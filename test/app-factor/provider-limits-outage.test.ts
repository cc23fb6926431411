import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { createProviderApp, type ProviderApp } from '../../src/provider-app.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { switchableStore } from '../support/switchable-store.js';

// The app's calls count in the card endpoints' per-network window, and a storage outage is the JSON 503.
let dir: string;
let app: ProviderApp;
let setDown: (down: boolean) => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-factor-limits-'));
  const inner = new MemoryStateStore();
  const switchable = switchableStore(inner);
  setDown = switchable.setDown;
  const store = switchable.store;
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3997', CARD_REQUESTS_PER_IP: '3' });
  app = await createProviderApp({ config, storage: { store }, credentials: { database: async () => { throw new Error('no database in this test'); } } });
});

afterAll(async () => {
  app.close();
  await rm(dir, { recursive: true, force: true });
});

test('past the per-network limit the app gets 429 too_many_requests with Retry-After, as JSON', async () => {
  const server = request(app.provider.callback());
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await server.post('/app/approvals/pending').set('accept-language', 'en').send({ request: 'x.y.z' }));
  expect(answers.slice(0, 3).map((answer) => answer.body.error)).toEqual(['app_request_invalid', 'app_request_invalid', 'app_request_invalid']);
  expect(answers[3]!.status).toBe(429);
  expect(answers[3]!.body).toEqual({ error: 'too_many_requests', message: expect.stringMatching(/network/) });
  expect(answers[3]!.headers['retry-after']).toBeDefined();
  expect(answers[3]!.headers['cache-control']).toBe('no-store');
});

test('during a storage outage the app\'s calls get the JSON 503', async () => {
  setDown(true);
  try {
    const server = request(app.provider.callback());
    for (const path of ['/app/devices/enrolments', '/app/approvals/pending', '/app/approvals/open']) {
      const answer = await server.post(path).set('accept', 'application/json').send({});
      expect([path, answer.status, answer.body.error]).toEqual([path, 503, 'temporarily_unavailable']);
    }
  } finally {
    setDown(false);
  }
});
