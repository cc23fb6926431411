import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PIN, DEMO_PUK, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { bridgeOnFreshCard, captureConsole, dataCode, expectNoSecretsAnywhere, field } from './bridge-web-harness.js';

// The citizen's "Software CIE" pages on a real virtual card: counters, PIN change, unblock with the PUK.

let dir: string;
let demo: DemoEnvironment;
const open: Array<{ close(): Promise<void> }> = [];

const NEW_PIN = '27182818';
const WRONG_PIN = '00000001';
const WRONG_PUK = '99999998';
const SECRETS = [DEMO_PIN, DEMO_PUK, NEW_PIN, WRONG_PIN, WRONG_PUK];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-bridge-pages-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
}, 120_000);

beforeEach(() => captureConsole());

afterEach(async () => {
  await Promise.all(open.splice(0).map((bridge) => bridge.close()));
  expectNoSecretsAnywhere(SECRETS);
  jest.restoreAllMocks();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bridge() {
  const b = await bridgeOnFreshCard(demo);
  open.push(b);
  return b;
}

type Bridge = Awaited<ReturnType<typeof bridge>>;

async function changePin(b: Bridge, current: string, next = NEW_PIN, again = next, lang = 'it') {
  const form = await b.get(`/pin/change?lang=${lang}`);
  return b.post(`/pin/change?lang=${lang}`, { token: field(form.text, 'token'), request: '', current, next, again });
}

async function unblock(b: Bridge, puk: string, extra: Record<string, string> = {}, next = NEW_PIN) {
  const form = await b.get('/pin/unblock');
  return b.post('/pin/unblock', { token: field(form.text, 'token'), request: '', puk, next, again: next, ...extra });
}

describe('the card page', () => {
  test('shows the PIN and PUK tries left, and how they drop after wrong codes', async () => {
    const b = await bridge();
    const fresh = await b.get('/');
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('<dd id="pin-tries" data-left="3">3 su 3</dd>');
    expect(fresh.text).toContain('<dd id="puk-tries" data-left="10">10 su 10</dd>');

    expect((await changePin(b, WRONG_PIN)).text).toContain('PIN errato. Ti restano 2 tentativi.');
    expect((await changePin(b, WRONG_PIN)).text).toContain('PIN errato. Ti resta 1 tentativo: un altro errore bloccherà il PIN.');
    expect((await b.get('/')).text).toContain('<dd id="pin-tries" data-left="1">1 su 3</dd>');

    await b.setState({ pinTriesLeft: 0 });
    expect((await unblock(b, WRONG_PUK)).text).toContain('PUK errato. Ti restano 9 tentativi.');
    const after = await b.get('/?lang=en');
    expect(after.text).toContain('PIN blocked: unblock it with the PUK');
    expect(after.text).toContain('<dd id="puk-tries" data-left="9">9 of 10</dd>');
    // Reading the counters spends no try.
    expect(await b.state()).toMatchObject({ pinTriesLeft: 0, pukTriesLeft: 9 });
  });

  test('says why the card cannot be read, with a way to refresh', async () => {
    const b = await bridge();
    b.terminal.remove();
    const page = await b.get('/');
    expect(page.status).toBe(200);
    expect(dataCode(page.text)).toBe('status_unavailable');
    expect(page.text).toContain('Nessuna carta sul lettore.');
    expect(page.text).toContain('id="refresh"');
  });

  test('the card pages answer only under the bridge’s loopback name (DNS rebinding is refused)', async () => {
    const b = await bridge();
    for (const path of ['/', '/pin/change', '/pin/unblock']) expect((await b.get(path, { Host: 'evil.example:3900' })).status).toBe(421);
    expect(await b.state()).toMatchObject({ pinTriesLeft: 3, pukTriesLeft: 10 });
  });

  test('a card page is not read for another site’s image or frame', async () => {
    const b = await bridge();
    const image = await b.get('/', { 'sec-fetch-dest': 'image' });
    expect(image.status).toBe(403);
    expect(dataCode(image.text)).toBe('not_a_navigation');
  });
});

describe('changing the PIN', () => {
  test('the new PIN replaces the old one', async () => {
    const b = await bridge();
    const done = await changePin(b, DEMO_PIN);
    expect(done.status).toBe(200);
    expect(dataCode(done.text)).toBe('pin_changed');
    expect(done.text).toContain('PIN cambiato. D’ora in poi usa il nuovo PIN.');
    expect(await b.state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3 });
  });

  test.each([
    ['a new PIN of the wrong length', DEMO_PIN, '1234567', '1234567', 'Il nuovo PIN deve essere composto da 8 cifre.'],
    ['a weak new PIN', DEMO_PIN, '11111111', '11111111', 'Il nuovo PIN è troppo semplice'],
    ['a run of digits', DEMO_PIN, '98765432', '98765432', 'Il nuovo PIN è troppo semplice'],
    ['two new PINs that differ', DEMO_PIN, NEW_PIN, '27182819', 'I due nuovi PIN non coincidono.'],
    ['a current PIN of the wrong length', '1234', NEW_PIN, NEW_PIN, 'Il PIN deve essere composto da 8 cifre.'],
  ])('refuses %s before the card is touched', async (_name, current, next, again, text) => {
    const b = await bridge();
    const page = await changePin(b, current, next, again);
    expect(page.status).toBe(400);
    expect(page.text).toContain(text);
    expect(page.text).not.toContain(`value="${next}"`);
    expect(await b.state()).toMatchObject({ pin: DEMO_PIN, pinTriesLeft: 3 });
  });

  test('shows the PIN rules to the citizen, in English too', async () => {
    const b = await bridge();
    const page = await b.get('/pin/change?lang=en');
    expect(page.text).toContain('The new PIN must be:');
    expect(page.text).toContain('not digits in a row, up or down (like 23456789 or 76543210)');
    expect(page.text).toContain('novalidate');
  });

  test('the third wrong PIN leads to the blocked page, which leads to the unblock page', async () => {
    const b = await bridge();
    await changePin(b, WRONG_PIN);
    await changePin(b, WRONG_PIN);
    const blocked = await changePin(b, WRONG_PIN);
    expect(blocked.status).toBe(409);
    expect(dataCode(blocked.text)).toBe('pin_blocked');
    expect(blocked.text).toContain('href="/pin/unblock?request=&amp;lang=it"');
    expect(blocked.text).not.toMatch(/cie-bridge|esegui/);
  });
});

describe('unblocking the PIN with the PUK', () => {
  test('a wrong PUK costs one try; the right PUK unblocks and sets the new PIN', async () => {
    const b = await bridge();
    await b.setState({ pinTriesLeft: 0 });
    const form = await b.get('/pin/unblock');
    expect(form.text).toContain('dopo 10 PUK errati l’identità digitale della carta si blocca per sempre');
    expect(form.text).toContain('Restano 10 tentativi per il PUK.');

    const wrong = await unblock(b, WRONG_PUK);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('PUK errato. Ti restano 9 tentativi.');
    expect(wrong.text).toContain('href="https://id.example.it/help/lost-codes?lang=it#puk" id="lost-codes-help"');
    expect(await b.state()).toMatchObject({ pukTriesLeft: 9, pinTriesLeft: 0 });

    const done = await unblock(b, DEMO_PUK);
    expect(dataCode(done.text)).toBe('pin_unblocked');
    expect(await b.state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3, pukTriesLeft: 10 });
  });

  test('before the last PUK try the citizen must confirm; a 10th wrong PUK blocks the card for good', async () => {
    const b = await bridge();
    await b.setState({ pinTriesLeft: 0, pukTriesLeft: 1 });
    const form = await b.get('/pin/unblock?lang=en');
    expect(form.text).toContain('Only 1 PUK attempt is left.');
    expect(form.text).toContain('id="confirm_last"');

    const unconfirmed = await unblock(b, WRONG_PUK);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.text).toContain('conferma spuntando la casella');
    expect((await b.state()).pukTriesLeft).toBe(1);

    const last = await unblock(b, WRONG_PUK, { confirm_last: 'yes' });
    expect(dataCode(last.text)).toBe('puk_blocked');
    expect(await b.state()).toMatchObject({ pukTriesLeft: 0, identityBlocked: true });
    expect(dataCode((await unblock(b, DEMO_PUK)).text)).toBe('puk_blocked');
  });

  test('a card that does not tell its PUK tries left (a real CIE may not answer the empty VERIFY) still needs the confirmation', async () => {
    const b = await bridge();
    await b.setState({ pinTriesLeft: 0, pukTriesLeft: 1 });
    jest.spyOn(b.cards, 'readTriesLeft').mockResolvedValue({ pin: 0, puk: undefined });
    const form = await b.get('/pin/unblock');
    expect(form.text).toContain('id="confirm_last"');
    const unconfirmed = await unblock(b, WRONG_PUK);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.text).toContain('id="confirm_last"');
    expect((await b.state()).pukTriesLeft).toBe(1);
    expect(dataCode((await unblock(b, DEMO_PUK, { confirm_last: 'yes' })).text)).toBe('pin_unblocked');
  });
});

describe('only the bridge’s own pages can post', () => {
  test('a form from another origin, or without one, is refused and reaches no card', async () => {
    const b = await bridge();
    const form = await b.get('/pin/change');
    const token = field(form.text, 'token');
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', null]) {
      const refused = await b.post('/pin/change', { token, request: '', current: WRONG_PIN, next: NEW_PIN, again: NEW_PIN }, origin);
      expect(refused.status).toBe(403);
      expect(dataCode(refused.text)).toBe('forbidden_origin');
    }
    const unblockRefused = await b.post('/pin/unblock', { token, request: '', puk: WRONG_PUK, next: NEW_PIN, again: NEW_PIN }, 'https://evil.example');
    expect(unblockRefused.status).toBe(403);
    expect(await b.state()).toMatchObject({ pinTriesLeft: 3, pukTriesLeft: 10 });
  });

  test('a missing, forged or other form’s token (CSRF) is refused', async () => {
    const b = await bridge();
    const changeToken = field((await b.get('/pin/change')).text, 'token');
    for (const [path, token] of [['/pin/change', ''], ['/pin/change', 'x.y'], ['/pin/change', `${changeToken}x`], ['/pin/unblock', changeToken]] as const) {
      const refused = await b.post(path, { token, request: '', current: WRONG_PIN, puk: WRONG_PUK, next: NEW_PIN, again: NEW_PIN });
      expect(refused.status).toBe(403);
      expect(dataCode(refused.text)).toBe('bad_form_token');
    }
    expect(await b.state()).toMatchObject({ pinTriesLeft: 3, pukTriesLeft: 10 });
  });
});
