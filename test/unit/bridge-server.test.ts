import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import request from 'supertest';
import { digestToSign } from '../../src/bridge/assertion-builder.js';
import { createBridgeApp } from '../../src/bridge/bridge-server.js';
import type { CardSigner, PinManager } from '../../src/bridge/card-signer.js';
import { CodedError } from '../../src/shared/coded-error.js';

const ORIGIN = 'https://id.example.it';
const CHALLENGE = Buffer.alloc(32, 7).toString('base64url');
const PORT = 3900;
const HOST = `127.0.0.1:${PORT}`;
const OWN = `http://${HOST}`;

const unusedPins: PinManager = {
  readTriesLeft: async () => { throw new Error('must not be called'); },
  changePin: async () => { throw new Error('must not be called'); },
  unblockPin: async () => { throw new Error('must not be called'); },
};

function appWith(signer: CardSigner) {
  return createBridgeApp({ allowedOrigins: [ORIGIN], signer, pins: unusedPins, version: 'test', port: () => PORT }).callback();
}

const unusedSigner: CardSigner = { sign: async () => { throw new Error('must not be called'); } };

async function openPinPage(app: ReturnType<typeof appWith>) {
  const page = await request(app).get('/login').set('Host', HOST).query({ origin: ORIGIN, challenge: CHALLENGE });
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)![1]!;
  return { page, request: field('request'), token: field('token') };
}

test('the digest the card signs is SHA-256(SHA-256(origin) ‖ SHA-256(challenge)): a PKCS#1 signature over the 64-byte message', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const challenge = Buffer.alloc(32, 1);
  const message = Buffer.concat([createHash('sha256').update(ORIGIN).digest(), createHash('sha256').update(challenge).digest()]);
  expect(Buffer.from(digestToSign(ORIGIN, challenge))).toEqual(createHash('sha256').update(message).digest());
  expect(verify('sha256', message, publicKey, sign('sha256', message, privateKey))).toBe(true);
});

test('answers only under its loopback name (DNS rebinding is refused)', async () => {
  const app = appWith(unusedSigner);
  const rebound = await request(app).get('/login').set('Host', `evil.example:${PORT}`).query({ origin: ORIGIN, challenge: CHALLENGE });
  expect(rebound.status).toBe(421);
  const otherPort = await request(app).get('/login').set('Host', '127.0.0.1:1').query({ origin: ORIGIN, challenge: CHALLENGE });
  expect(otherPort.status).toBe(421);
});

test('refuses origins outside its allow-list and malformed challenges', async () => {
  const app = appWith(unusedSigner);
  const foreign = await request(app).get('/login').set('Host', HOST).query({ origin: 'https://evil.example', challenge: CHALLENGE });
  expect(foreign.status).toBe(403);
  expect(foreign.text).toContain('data-code="origin_not_allowed"');
  const shortChallenge = await request(app).get('/login').set('Host', HOST).query({ origin: ORIGIN, challenge: 'abc' });
  expect(shortChallenge.status).toBe(400);
});

test('the PIN page names the site and allows form posts only to it and to the bridge', async () => {
  const { page } = await openPinPage(appWith(unusedSigner));
  expect(page.status).toBe(200);
  expect(page.text).toContain(`<span class="origin" id="origin">${ORIGIN}</span>`);
  expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${ORIGIN}`);
  expect(page.headers['cache-control']).toBe('no-store');
});

test('a PIN is accepted only from the bridge’s own page, never from another origin', async () => {
  const app = appWith(unusedSigner);
  const { request: id, token } = await openPinPage(app);
  const fromElsewhere = await request(app).post('/login').set('Host', HOST).set('Origin', 'https://evil.example').type('form').send({ request: id, token, pin: '12345678' });
  expect(fromElsewhere.status).toBe(403);
  const noOrigin = await request(app).post('/login').set('Host', HOST).type('form').send({ request: id, token, pin: '12345678' });
  expect(noOrigin.status).toBe(403);
  const wrongToken = await request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token: 'x', pin: '12345678' });
  expect(wrongToken.status).toBe(410);
});

test('card answers become messages; the PIN never appears in a response', async () => {
  let attempt = 0;
  const signer: CardSigner = {
    sign: async () => {
      attempt += 1;
      if (attempt === 1) throw new CodedError('wrong_pin', 'wrong', { triesLeft: 1 });
      throw new CodedError('puk_blocked', 'blocked');
    },
  };
  const app = appWith(signer);
  const { request: id, token } = await openPinPage(app);
  const post = (pin: string) => request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token, pin });
  const badFormat = await post('1234');
  expect(badFormat.text).toContain('data-code="invalid_pin_format"');
  const wrong = await post('98765432');
  expect(wrong.text).toContain('Ti resta 1 tentativo');
  expect(wrong.text).not.toContain('98765432');
  const blocked = await post('98765432');
  expect(blocked.text).toContain('deve essere sostituita');
});

test('a successful signature produces an auto-submitted form carrying the assertion to the site', async () => {
  const signer: CardSigner = { sign: async (_pin, digest) => ({ signature: Buffer.from(digest), certificate: Buffer.from('cert') }) };
  const app = appWith(signer);
  const { request: id, token } = await openPinPage(app);
  const answer = await request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token, pin: '12345678' });
  expect(answer.status).toBe(200);
  expect(answer.text).toContain(`action="${ORIGIN}/cie/assertion"`);
  expect(answer.text).toContain('cie-assertion:1.0');
  expect(answer.text).not.toContain('12345678');
  // The request is closed: the same form cannot be used twice.
  const again = await request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token, pin: '12345678' });
  expect(again.status).toBe(410);
});

test('oversized PIN forms are refused with 413', async () => {
  const app = appWith(unusedSigner);
  const { request: id, token } = await openPinPage(app);
  const huge = await request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token, pin: '1'.repeat(10_000) });
  expect(huge.status).toBe(413);
});

const workingSigner: CardSigner = { sign: async (_pin, digest) => ({ signature: Buffer.from(digest), certificate: Buffer.from('cert') }) };

function foreignLoad(app: ReturnType<typeof appWith>, index: number, metadata: Record<string, string> = {}) {
  const challenge = Buffer.alloc(32, 0);
  challenge.writeUInt32BE(index + 1);
  return request(app).get('/login').set('Host', HOST).set(metadata).query({ origin: ORIGIN, challenge: challenge.toString('base64url') });
}

test('40 GET /login from other pages cannot push out the citizen’s open PIN page: their PIN post still succeeds', async () => {
  const app = appWith(workingSigner);
  const { request: id, token } = await openPinPage(app);
  // As top-level loads (the worst case: a page navigating a window it opened), until the table is full…
  const statuses = [];
  for (let i = 0; i < 40; i += 1) statuses.push((await foreignLoad(app, i)).status);
  expect(statuses.filter((status) => status === 200)).toHaveLength(31);
  // …after which new requests are refused, not made room for.
  const refused = await foreignLoad(app, 99);
  expect(refused.status).toBe(503);
  expect(refused.text).toContain('data-code="too_many_open"');
  const answer = await request(app).post('/login').set('Host', HOST).set('Origin', OWN).type('form').send({ request: id, token, pin: '12345678' });
  expect(answer.status).toBe(200);
  expect(answer.text).toContain(`action="${ORIGIN}/cie/assertion"`);
  // Its slot is free again.
  expect((await foreignLoad(app, 100)).status).toBe(200);
});

test('only a top-level page load opens a request: images, frames, scripts and fetches from other pages open nothing', async () => {
  const app = appWith(workingSigner);
  for (const metadata of [{ 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors' }, { 'sec-fetch-dest': 'iframe', 'sec-fetch-mode': 'navigate' }, { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }, { 'sec-fetch-dest': 'script', 'sec-fetch-mode': 'no-cors' }]) {
    for (let i = 0; i < 40; i += 1) {
      const answer = await foreignLoad(app, i, metadata);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('data-code="not_a_navigation"');
    }
  }
  const navigation = await foreignLoad(app, 0, { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' });
  expect(navigation.status).toBe(200);
});

test('reloading a PIN page shows the same request instead of opening another', async () => {
  const app = appWith(unusedSigner);
  const first = await openPinPage(app);
  const again = await openPinPage(app);
  expect(again.request).toBe(first.request);
  expect(again.token).toBe(first.token);
  // A full table of other requests does not refuse the reload of one already open.
  for (let i = 0; i < 40; i += 1) await foreignLoad(app, i);
  expect((await openPinPage(app)).request).toBe(first.request);
});
