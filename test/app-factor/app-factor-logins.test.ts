import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACR } from '../../src/oidc/acr.js';
import { accountIdFor } from '../../src/oidc/accounts.js';
import { decideApproval, l2EntryOf, openQrApproval, pendingApprovals } from '../../src/simulator/app/app-approvals.js';
import { runAppCli } from '../../src/simulator/app/app-cli.js';
import { DeviceKeyStore } from '../../src/simulator/app/device-key-store.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { decodeHtml, formIn, TestBrowser, type BrowserResponse } from '../support/test-browser.js';
import { consentAndIdToken, continueAfterApp, EMAIL, PASSWORD, SECURITY_CODE, startAppFactorStack, type AppFactorStack } from './support/app-factor-stack.js';

// The CieID app as a level-2 factor, end to end: the real provider (app-approval room, password stage `app`,
// the card's verifier chain on the test PKI, the access registry), the app simulator's own client code and
// CLI, and openid-client for the RP. Level 2 by password + push (number matching) and by the app's QR.

let stack: AppFactorStack;
let dir: string;
beforeAll(async () => {
  [stack, dir] = await Promise.all([startAppFactorStack(), mkdtemp(join(tmpdir(), 'cie-app-cli-'))]);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

// A citizen has at most 5 live certified devices: each test starts with none.
afterEach(async () => {
  const citizenIndex = stack.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode);
  for (const device of await stack.credentials.appDevices.devicesOf(citizenIndex)) await stack.credentials.appDevices.withdraw(citizenIndex, device.deviceId);
});

const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'fulfilled', (error: { code?: string; details?: { error?: string } }) => String(error.details?.error ?? error.code));

/** The level-2 login page for a new browser, and the start form of the method whose path ends with `method`. */
async function levelTwoLogin(method: 'app-qr' | 'password-app') {
  const { url, pending } = await stack.authorization(ACR.L2);
  const browser = new TestBrowser(stack.rp.redirectUri);
  const page = await browser.get(url.href);
  expect(page.status).toBe(200);
  const start = formIn(page.body, { action: new RegExp(`/${method}$`) });
  const started = await browser.post(new URL(start.action, stack.issuer).href, start.fields, stack.issuer);
  return { browser, pending, started };
}

/** The password page of `password-app` → the waiting page with the number to pick on the app. */
async function passwordThenWaiting(browser: TestBrowser, page: BrowserResponse): Promise<{ waiting: BrowserResponse; number: number }> {
  const { action, fields } = formIn(page.body, { action: /\/sign-in\/password\/[^/]+$/ });
  const waiting = await browser.post(new URL(action, stack.issuer).href, { ...fields, username: EMAIL, password: PASSWORD }, stack.issuer);
  const number = Number(/id="app-number"[^>]*>\s*(\d{2})\s*</.exec(waiting.body)?.[1]);
  return { waiting, number };
}

const lastSignIn = async () => (await stack.registry.listForAccount(accountIdFor(DEMO_HOLDER.fiscalCode), ['authentication']))[0]!;

test('certify the phone: the card read in the app (level 3) certifies a device key; the provider keeps its public key, the name and the default; the app keeps the key sealed', async () => {
  const { store, deviceId } = await stack.certifiedPhone('Pixel di Mario');
  const citizenIndex = stack.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode);
  const devices = await stack.credentials.appDevices.devicesOf(citizenIndex);
  expect(devices.find((device) => device.deviceId === deviceId)).toMatchObject({ name: 'Pixel di Mario', publicJwk: store.device(stack.issuer)!.publicJwk });
  expect(store.device(stack.issuer)!.sealedKey).toMatchObject({ kdf: 'scrypt' });
  expect(JSON.stringify(store.list())).not.toContain(SECURITY_CODE);
}, 60_000);

test('level 2 with the app\'s QR: login page → "Entra con l\'app CieID" → QR; the app scans it, shows who asks, approves with its security code; the RP gets acr SpidL2, amr swk pin mfa; the registry says app-qr', async () => {
  const { store } = await stack.certifiedPhone();
  const { browser, pending, started } = await levelTwoLogin('app-qr');
  const qrLink = decodeHtml(/id="app-qr" data-link="([^"]+)"/.exec(started.body)![1]!);
  expect(qrLink).toMatch(new RegExp(`^${stack.issuer}/app/l2#[A-Za-z0-9_-]{43}$`));

  const { origin, body } = l2EntryOf({ qrLink });
  expect(origin).toBe(stack.issuer);
  const device = await store.unlock(origin, SECURITY_CODE);
  const approval = await openQrApproval(device, body);
  expect(approval).toMatchObject({ kind: 'qr', requester: 'Comune di Esempio', level: ACR.L2, host: new URL(stack.issuer).host });
  // Opened once: a second opening of the same QR (another phone, a replay) is refused.
  expect(await codeOf(openQrApproval(device, body))).toBe('approval_unknown');
  expect(await decideApproval(device, approval.approval, { approve: true, userVerification: 'pin' })).toBe('approved');

  const consent = await continueAfterApp(stack, browser, started);
  const idToken = await consentAndIdToken(stack, browser, consent, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['swk', 'pin', 'mfa']);
  expect((await lastSignIn()).details).toMatchObject({ method: 'app-qr', outcome: 'authenticated', acr: ACR.L2, amr: ['swk', 'pin', 'mfa'] });
}, 90_000);

test('the QR\'s typed code through `cie-app scan-l2`: the app shows who asks, the citizen approves with "s", the desktop goes on to consent', async () => {
  const { store } = await stack.certifiedPhone('Telefono del codice');
  const keystore = join(dir, 'typed.json');
  const device = store.device(stack.issuer)!;
  // The CLI's own key store file with the same certified device (as the app would keep it on this phone).
  await writeFile(keystore, JSON.stringify({ format: 'cieid-app-keystore:1', devices: [device] }));
  const { browser, started } = await levelTwoLogin('app-qr');
  const typedCode = /id="typed-code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})</.exec(started.body)![1]!;
  const out: string[] = [];
  const err: string[] = [];
  const answers = [SECURITY_CODE, 's'];
  const exit = await runAppCli(['scan-l2', '--keystore', keystore, '--origin', stack.issuer, '--code', typedCode.toLowerCase()], { out: (l) => out.push(l), err: (l) => err.push(l), waitForShutdown: async () => {} }, async () => answers.shift());
  expect({ exit, out }).toEqual({ exit: 0, out: ['Accesso approvato.'] });
  expect(err.join('\n')).toContain(`Comune di Esempio (${new URL(stack.issuer).host}) chiede l'accesso, livello 2`);
  const consent = await continueAfterApp(stack, browser, started);
  expect(consent.body).toContain('/confirm');
}, 90_000);

test('level 2 with password + push: the waiting page shows a number; `cie-app approve` shows three, the citizen types the page\'s; acr SpidL2, amr pwd swk pin mfa; the registry says password-app', async () => {
  const keystore = join(dir, 'push.json');
  const enrolLines = [SECURITY_CODE, DEMO_PIN];
  const enrolOut: string[] = [];
  const phoneCard = await stack.environment.mintCardFile('cli-phone');
  const enrolled = await runAppCli(['enrol', '--card', phoneCard, '--device-keys', stack.environment.deviceKeysPath, '--keystore', keystore, '--origin', stack.issuer, '--name', 'Telefono CLI'], { out: (l) => enrolOut.push(l), err: () => {}, waitForShutdown: async () => {} }, async () => enrolLines.shift());
  expect(enrolled).toBe(0);
  expect(enrolOut.join('\n')).toMatch(/^Dispositivo certificato: [A-Za-z0-9_-]{22,}/);
  // The newest certified device is made the default, so the push goes to this phone.
  const deviceId = (await DeviceKeyStore.openFile(keystore)).device(stack.issuer)!.deviceId;
  const citizenIndex = stack.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode);
  await stack.credentials.appDevices.makeDefault(citizenIndex, deviceId);

  const { browser, pending, started } = await levelTwoLogin('password-app');
  const { waiting, number } = await passwordThenWaiting(browser, started);
  expect(number).toBeGreaterThanOrEqual(10);

  const out: string[] = [];
  const err: string[] = [];
  const answers = [SECURITY_CODE, String(number)];
  const approved = await runAppCli(['approve', '--keystore', keystore, '--origin', stack.issuer], { out: (l) => out.push(l), err: (l) => err.push(l), waitForShutdown: async () => {} }, async () => answers.shift());
  expect({ approved, out }).toEqual({ approved: 0, out: ['Accesso approvato.'] });
  const offered = /Scegli il numero mostrato dal browser: (\d{2})  (\d{2})  (\d{2})/.exec(err.join('\n'))!.slice(1).map(Number);
  expect(offered).toContain(number);
  expect(new Set(offered).size).toBe(3);
  expect(err.join('\n')).toContain(`Comune di Esempio (${new URL(stack.issuer).host}) chiede l'accesso, livello 2`);
  expect(err.join('\n')).not.toContain(SECURITY_CODE);

  const consent = await continueAfterApp(stack, browser, waiting);
  const idToken = await consentAndIdToken(stack, browser, consent, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['pwd', 'swk', 'pin', 'mfa']);
  expect((await lastSignIn()).details).toMatchObject({ method: 'password-app', outcome: 'authenticated', acr: ACR.L2, amr: ['pwd', 'swk', 'pin', 'mfa'] });
}, 120_000);

test('a wrong security code stops in the app: nothing reaches the provider, the push still waits; a wrong number fails the sign-in for good', async () => {
  const { store, deviceId } = await stack.certifiedPhone();
  await stack.credentials.appDevices.makeDefault(stack.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode), deviceId);
  const { browser, started } = await levelTwoLogin('password-app');
  const { waiting, number } = await passwordThenWaiting(browser, started);

  const calls: string[] = [];
  const spy: typeof fetch = async (input, init) => (calls.push(String(input)), fetch(input, init));
  const wrong = await codeOf((async () => pendingApprovals(await store.unlock(stack.issuer, '999999'), spy))());
  expect(wrong).toBe('wrong_security_code');
  expect(calls).toEqual([]);

  const device = await store.unlock(stack.issuer, SECURITY_CODE);
  const [push] = await pendingApprovals(device, spy);
  expect(push).toMatchObject({ kind: 'push', numbers: expect.arrayContaining([number]) });
  const otherNumber = push!.numbers!.find((n) => n !== number)!;
  expect(await codeOf(decideApproval(device, push!.approval, { approve: true, number: otherNumber, userVerification: 'pin' }))).toBe('app_number_mismatch');
  // No second guess: the right number now finds the approval answered, and the browser's "Continua" does not sign in.
  expect(await codeOf(decideApproval(device, push!.approval, { approve: true, number, userVerification: 'pin' }))).toBe('approval_unknown');
  const after = await continueAfterApp(stack, browser, waiting);
  expect(after.url).not.toMatch(/\/consent/);
  expect(after.body).toContain('app_number_mismatch');
}, 90_000);

test('a withdrawn device: its signed requests are refused as app_device_unknown, and the app cannot open a QR with it', async () => {
  const { store, deviceId } = await stack.certifiedPhone('Vecchio telefono');
  const device = await store.unlock(stack.issuer, SECURITY_CODE);
  expect(await pendingApprovals(device)).toBeInstanceOf(Array);
  expect(await stack.credentials.appDevices.withdraw(stack.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode), deviceId)).toBe(true);
  expect(await codeOf(pendingApprovals(device))).toBe('app_device_unknown');
  const { started } = await levelTwoLogin('app-qr');
  const { body } = l2EntryOf({ qrLink: decodeHtml(/id="app-qr" data-link="([^"]+)"/.exec(started.body)![1]!) });
  expect(await codeOf(openQrApproval(device, body))).toBe('app_device_unknown');
}, 90_000);
