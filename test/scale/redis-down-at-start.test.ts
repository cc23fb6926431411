import { authorizationUrl } from '../../src/demo-rp/rp-client.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { captureLogs } from '../support/captured-logs.js';
import { TestBrowser } from '../support/test-browser.js';
import { clientAuthForm } from './support/client-assertion.js';
import { startTcpSwitch, type TcpSwitch } from './support/tcp-switch.js';
import { waitUntil } from './support/wait-until.js';

let redis: RedisHandle;
let link: TcpSwitch;
let stack: TestStack | undefined;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  redis = await spawnRedis();
  link = await startTcpSwitch(Number(new URL(redis.url).port));
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  await stack?.dispose();
  await link?.close();
  await redis?.stop();
});

test('Redis unreachable at start: the provider starts, answers 503 like during an outage, and recovers by itself', async () => {
  link.cut();
  stack = await startTestStack({ providerEnv: { REDIS_URL: `redis://127.0.0.1:${link.port}` } });
  const issuer = stack.issuer;

  expect((await fetch(`${issuer}/healthz`)).status).toBe(200);
  expect((await fetch(`${issuer}/readyz`)).status).toBe(503);

  // An OAuth endpoint: JSON with Retry-After, answered at once (no command waits for a first connection).
  const startedAt = Date.now();
  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: await clientAuthForm(stack, { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: stack.rp.redirectUri, code_verifier: 'v'.repeat(43) }),
  });
  expect(Date.now() - startedAt).toBeLessThan(1500);
  expect(token.status).toBe(503);
  expect(token.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });

  // A browser route: the outage page.
  const { url } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid');
  const page = await new TestBrowser(stack.rp.redirectUri).get(url.href);
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(page.body).toContain('data-code="temporarily_unavailable"');

  // One line says why, however many reconnection attempts fail meanwhile.
  const redisLines = () => logs.lines.filter((line) => line.component === 'storage').map((line) => line.msg);
  expect(redisLines()).toEqual([expect.stringMatching(/^redis: not reachable at start \(.+\); starting anyway/)]);

  link.restore();
  // Ready needs the access registry open too: the embedded database takes seconds (more on a loaded machine).
  await waitUntil(async () => (await fetch(`${issuer}/readyz`)).status === 200, 60_000);
  const loginPage = await new CardLoginFlow(stack).openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(loginPage.url).toMatch(/\/interaction\/[^/]+$/);
  expect(redisLines().slice(1)).toEqual(['redis: available again']);
}, 120_000);
