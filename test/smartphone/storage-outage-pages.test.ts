import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { createProviderApp, type ProviderApp } from '../../src/provider-app.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { switchableStore } from '../support/switchable-store.js';

// During a Redis outage a citizen's smartphone pages get the provider's "temporarily unavailable" page;
// the app (a native client) and JSON clients keep the JSON 503.
let dir: string;
let app: ProviderApp;
let setDown: (down: boolean) => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phone-outage-'));
  const inner = new MemoryStateStore();
  const switchable = switchableStore(inner);
  setDown = switchable.setDown;
  const store = switchable.store;
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3996' });
  app = await createProviderApp({ config, storage: { store } });
  setDown(true);
});

afterAll(async () => {
  app.close();
  await rm(dir, { recursive: true, force: true });
});

const SESSION = 'A'.repeat(43);
const COOKIE = `phone_${SESSION.slice(0, 16)}=${'B'.repeat(43)}`;

test('the desktop page, its forms and the hand-back link answer the HTML page with 503', async () => {
  const server = request(app.provider.callback());
  const answers = [
    await server.get(`/smartphone/session/${SESSION}`).set('accept', 'text/html').set('cookie', COOKIE),
    await server.post(`/smartphone/session/${SESSION}/otp`).set('accept', 'text/html').set('cookie', COOKIE).type('form').send('otp=123456'),
    await server.get(`/smartphone/return/${SESSION}?code=${'C'.repeat(43)}`).set('accept', 'text/html').set('cookie', COOKIE),
  ];
  for (const answer of answers) {
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.text).toContain('data-code="temporarily_unavailable"');
    expect(answer.headers['retry-after']).toBeDefined();
  }
});

test('the app\'s calls and a JSON client get the JSON 503', async () => {
  const server = request(app.provider.callback());
  const opened = await server.post('/smartphone/app/open').set('accept', 'application/json').send({ qr: SESSION });
  expect(opened.status).toBe(503);
  expect(opened.body).toMatchObject({ error: 'temporarily_unavailable' });
  const data = await server.get(`/smartphone/session/${SESSION}`).set('accept', 'application/json').set('cookie', COOKIE);
  expect(data.status).toBe(503);
  expect(data.body).toMatchObject({ error: 'temporarily_unavailable' });
});
