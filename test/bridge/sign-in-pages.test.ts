import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardSigner } from '../../src/bridge/card-signer.js';
import { DEMO_PIN, DEMO_PUK, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { eventually } from '../storage/eventually.js';
import { ORIGIN, bridgeOnFreshCard, captureConsole, dataCode, expectNoSecretsAnywhere, field } from './bridge-web-harness.js';

// The sign-in pages on a real virtual card: the card's steps while it works, a pulled card, the
// blocked PIN that leads to the unblock page and back to the same sign-in.

let dir: string;
let demo: DemoEnvironment;
const open: Array<{ close(): Promise<void> }> = [];

const NEW_PIN = '27182818';
const WRONG_PIN = '00000001';
const SECRETS = [DEMO_PIN, DEMO_PUK, NEW_PIN, WRONG_PIN];
const CHALLENGE = Buffer.alloc(32, 9).toString('base64url');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-bridge-sign-in-'));
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

async function bridge(wrap?: Parameters<typeof bridgeOnFreshCard>[1]) {
  const b = await bridgeOnFreshCard(demo, wrap);
  open.push(b);
  return b;
}

type Bridge = Awaited<ReturnType<typeof bridge>>;

async function openPinPage(b: Bridge, lang = 'it') {
  const page = await b.get(`/login?origin=${encodeURIComponent(ORIGIN)}&challenge=${CHALLENGE}&lang=${lang}`);
  expect(page.status).toBe(200);
  return { page, request: field(page.text, 'request'), token: field(page.text, 'token') };
}

async function postPin(b: Bridge, pin: string, extra: Record<string, string> = {}, lang = 'it') {
  const { request, token } = await openPinPage(b, lang);
  return b.post('/login', { request, token, pin, ...extra });
}

/** PIN with JavaScript on: 303 to the progress page; the status endpoint, polled until the card is done. */
async function postPinWithProgress(b: Bridge, pin: string) {
  const started = await postPin(b, pin, { progress: '1' });
  expect(started.status).toBe(303);
  const job = new URL(started.headers.location!, 'http://x').searchParams.get('job')!;
  let status: { state: string; steps: string[] } = { state: 'running', steps: [] };
  await eventually(async () => {
    status = (await b.get(`/login/status?job=${job}`)).body;
    return status.state === 'finished';
  });
  return { job, progressUrl: started.headers.location!, status };
}

describe('the PIN page', () => {
  test.each([
    ['it', 'Il PIN deve essere composto da 8 cifre.'],
    ['en', 'The PIN must be 8 digits.'],
  ])('a PIN of the wrong length gets our own message (%s), not the browser’s', async (lang, text) => {
    const b = await bridge();
    const { page } = await openPinPage(b, lang);
    // No browser validation (its bubble speaks the browser's language): our script and the server check.
    expect(page.text).toMatch(/<form method="post" action="\/login"[^>]* novalidate /);
    expect(page.text).not.toMatch(/pattern=|minlength=/);
    expect(page.text).toContain(`data-invalid-message="${text}"`);
    const answer = await postPin(b, '1234', {}, lang);
    expect(answer.status).toBe(400);
    expect(dataCode(answer.text)).toBe('invalid_pin_format');
    expect(answer.text).toContain(text);
    expect((await b.state()).pinTriesLeft).toBe(3);
  });

  test('without JavaScript the PIN post answers with the assertion page, which has a heading', async () => {
    const b = await bridge();
    const answer = await postPin(b, DEMO_PIN);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<h1>Identificazione riuscita</h1>');
    expect(answer.text).toContain(`action="${ORIGIN}/cie/assertion"`);
  });

  test('the favicon is served by the bridge itself', async () => {
    const b = await bridge();
    const icon = await b.get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/x-icon');
    expect((await openPinPage(b)).page.text).toContain('<link rel="icon" href="/favicon.ico"');
  });
});

describe('progress while the card works', () => {
  test('the status endpoint lists the card’s steps; the result page forwards the assertion once', async () => {
    const b = await bridge();
    const { job, progressUrl, status } = await postPinWithProgress(b, DEMO_PIN);
    expect(status.steps).toEqual(['card_found', 'secure_channel', 'pin_checked', 'signed']);
    const progress = await b.get(progressUrl);
    expect(progress.status).toBe(200);
    for (const step of ['card_found', 'secure_channel', 'pin_checked', 'signed']) expect(progress.text).toContain(`<li data-step="${step}" class="done">`);
    expect(progress.text).toContain('Firma eseguita');
    expect(progress.text).toContain(`href="/login/result?job=${job}"`);
    const result = await b.get(`/login/result?job=${job}`);
    expect(result.status).toBe(200);
    expect(result.text).toContain(`action="${ORIGIN}/cie/assertion"`);
    expect((await b.get(`/login/result?job=${job}`)).status).toBe(410);
    expect((await b.get(`/login/status?job=${job}`)).status).toBe(404);
  });

  test('a wrong PIN stops after the secure channel and comes back to the PIN page with the tries left', async () => {
    const b = await bridge();
    const { job, status } = await postPinWithProgress(b, WRONG_PIN);
    expect(status.steps).toEqual(['card_found', 'secure_channel']);
    const result = await b.get(`/login/result?job=${job}`);
    expect(dataCode(result.text)).toBe('wrong_pin');
    expect(result.text).toContain('PIN errato. Ti restano 2 tentativi.');
    // Help on lost codes right under the error.
    expect(result.text).toContain(`href="${ORIGIN}/help/lost-codes?lang=it#pin" id="lost-codes-help"`);
  });

  test('a card pulled while it works gives a clear message and a retry that works once it is back', async () => {
    // The card leaves the reader right after the secure channel opens, before the PIN reaches it.
    const b = await bridge((cards, terminal): CardSigner => ({
      sign: (pin, digest, onStep) => cards.sign(pin, digest, (step) => {
        onStep?.(step);
        if (step === 'secure_channel') terminal.remove();
      }),
    }));
    const { job, status } = await postPinWithProgress(b, DEMO_PIN);
    expect(status.steps).toEqual(['card_found', 'secure_channel']);
    const result = await b.get(`/login/result?job=${job}`);
    expect(dataCode(result.text)).toBe('card_removed');
    expect(result.text).toContain('La carta è stata allontanata dal lettore durante l’operazione. Riappoggiala e riprova.');
    expect(result.text).toContain('id="confirm"');

    // Without the card (the reader is empty): the same page, saying so.
    const empty = await postPin(b, DEMO_PIN);
    expect(dataCode(empty.text)).toBe('no_card');

    b.terminal.insertFile(b.cardPath);
    const retried = await b.post('/login', { request: field(result.text, 'request'), token: field(result.text, 'token'), pin: DEMO_PIN });
    expect(retried.text).toContain(`action="${ORIGIN}/cie/assertion"`);
  });
});

describe('a blocked PIN', () => {
  test('leads to the unblock page and back to the same sign-in, and always offers the way back to the service', async () => {
    const b = await bridge();
    await postPin(b, WRONG_PIN);
    await postPin(b, WRONG_PIN);
    const blocked = await postPin(b, WRONG_PIN);
    expect(blocked.status).toBe(409);
    expect(dataCode(blocked.text)).toBe('pin_blocked');
    expect(blocked.text).not.toMatch(/cie-bridge|esegui|terminal/);
    const { request } = await openPinPage(b);
    expect(blocked.text).toContain(`href="/pin/unblock?request=${request}&amp;lang=it"`);
    expect(blocked.text).toContain(`<form method="post" action="${ORIGIN}/cie/assertion" class="bridge-back">`);
    expect(blocked.text).toContain('Torna al servizio');
    expect(blocked.text).toContain(`href="${ORIGIN}/help/lost-codes?lang=it#puk" id="lost-codes-help"`);
    expect(blocked.headers['content-security-policy']).toContain(`form-action 'self' ${ORIGIN}`);

    const unblockForm = await b.get(`/pin/unblock?request=${request}&lang=it`);
    expect(unblockForm.text).toContain('Torna al servizio');
    const done = await b.post('/pin/unblock?lang=it', { token: field(unblockForm.text, 'token'), request, puk: DEMO_PUK, next: NEW_PIN, again: NEW_PIN });
    expect(dataCode(done.text)).toBe('pin_unblocked');
    const back = /href="(\/login\?[^"]+)" id="back-to-login"/.exec(done.text)![1]!.replace(/&amp;/g, '&');
    const samePinPage = await b.get(back);
    expect(field(samePinPage.text, 'request')).toBe(request);
    const signed = await b.post('/login', { request, token: field(samePinPage.text, 'token'), pin: NEW_PIN });
    expect(signed.text).toContain(`action="${ORIGIN}/cie/assertion"`);
  });
});
