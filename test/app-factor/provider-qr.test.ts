import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER } from '../../src/simulator/demo-environment.js';
import { decodeHtml, type TestBrowser } from '../support/test-browser.js';
import { consentAndTokens, loginPage, useProviderStack, type TestDevice } from './support/provider-stack.js';

const stack = useProviderStack();
const origin = () => stack.issuer;

/** "Entra con l'app CieID" from the login page: the waiting page, its QR link's nonce and its typed code. */
async function qrPage(acr = ACR.L2) {
  const login = await loginPage(stack, acr);
  const page = await login.browser.post(`${origin()}/interaction/${login.uid}/app-qr`, {}, origin());
  const id = /\/sign-in\/app\/([A-Za-z0-9_-]{32})/.exec(page.url)![1]!;
  const link = decodeHtml(/id="app-qr" data-link="([^"]+)"/.exec(page.body)![1]!);
  return { ...login, id, page, link, nonce: link.split('#')[1]!, code: /id="typed-code"[^>]*>([0-9A-Z-]{9})</.exec(page.body)![1]! };
}

const open = async (device: TestDevice, fields: Record<string, unknown>) => stack.post('/app/approvals/open', { request: await stack.signed(device, fields) });
const answer = async (device: TestDevice, approval: string, fields: Record<string, unknown>) => stack.post(`/app/approvals/${approval}`, { response: await stack.signed(device, { approval, ...fields }) });
const finish = (browser: TestBrowser, id: string) => browser.post(`${origin()}/sign-in/app/${id}/finish`, {}, origin());

let device: TestDevice;
let other: TestDevice;
beforeAll(async () => {
  device = await stack.enrol('Pixel di Mario');
  other = await stack.enrol('Tablet di Mario');
}, 120_000);

test('the QR page: a link <origin>/app/l2#<nonce>, a typed code, a live status region, cancel; a camera without the app lands on a help page', async () => {
  const qr = await qrPage();
  expect(qr.page.status).toBe(200);
  expect(qr.link).toMatch(new RegExp(`^${origin()}/app/l2#[A-Za-z0-9_-]{43}$`));
  expect(qr.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(qr.page.body).toMatch(/<svg role="img" aria-label="[^"]+"/);
  expect(qr.page.body).toContain('role="status" aria-live="polite"');
  expect(qr.page.body).toContain('id="cancel"');
  const help = await fetch(`${origin()}/app/l2`, { headers: { accept: 'text/html' } });
  expect([help.status, (await help.text()).includes('CieID')]).toEqual([200, true]);
}, 60_000);

test('opened by the nonce and approved: the citizen is the device\'s, SpidL2 with amr swk pin mfa; a second device is refused', async () => {
  const qr = await qrPage();
  const opened = await open(device, { qr: qr.nonce });
  expect([opened.status, opened.body]).toEqual([200, { approval: expect.any(String), kind: 'qr', requester: 'Comune di Esempio', level: ACR.L2, expires_at: expect.any(Number) }]);
  // The same QR (or its code) for another device: gone.
  expect((await open(other, { qr: qr.nonce })).body.error).toBe('approval_unknown');
  expect((await open(other, { code: qr.code })).body.error).toBe('approval_unknown');
  // Another device cannot answer it either.
  expect((await answer(other, String(opened.body.approval), { decision: 'approve', user_verification: 'pin' })).body.error).toBe('approval_unknown');
  const status = await fetch(`${origin()}/sign-in/app/${qr.id}/status`, { headers: { cookie: await qr.browser.jar.getCookieString(`${origin()}/sign-in/app/${qr.id}`) } });
  expect((await status.json()).state).toBe('opened');
  expect((await answer(device, String(opened.body.approval), { decision: 'approve', user_verification: 'pin' })).body).toEqual({ state: 'approved' });
  const consent = await finish(qr.browser, qr.id);
  expect(consent.body).toContain('/confirm"');
  const { idToken, userinfo } = await consentAndTokens(stack, qr.browser, consent, qr.pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['swk', 'pin', 'mfa']);
  expect(userinfo.family_name).toBe(DEMO_HOLDER.familyName);
}, 60_000);

test('opened by the typed code (case, spaces and look-alikes forgiven), then denied: the browser shows the refusal', async () => {
  const qr = await qrPage();
  const typed = ` ${qr.code.toLowerCase().replace('-', ' ')} `;
  const opened = await open(other, { code: typed });
  expect(opened.body.kind).toBe('qr');
  expect((await open(device, { qr: qr.nonce })).body.error).toBe('approval_unknown');
  expect((await answer(other, String(opened.body.approval), { decision: 'deny' })).body).toEqual({ state: 'denied' });
  expect((await finish(qr.browser, qr.id)).body).toContain('app_approval_denied');
}, 60_000);

test('the waiting page belongs to the browser that started it; cancel fails the sign-in and the QR is dead', async () => {
  const qr = await qrPage();
  const stranger = await fetch(`${origin()}/sign-in/app/${qr.id}`);
  expect(await stranger.text()).toContain('data-code="challenge_unknown"');
  const cancelled = await qr.browser.post(`${origin()}/sign-in/app/${qr.id}/cancel`, {}, origin());
  expect(cancelled.body).toContain('cancelled');
  expect((await open(device, { qr: qr.nonce })).body.error).toBe('approval_unknown');
}, 60_000);

test('an unknown nonce or code, and a malformed open, are refused', async () => {
  expect((await open(device, { qr: 'A'.repeat(43) })).body.error).toBe('approval_unknown');
  expect((await open(device, { code: 'ZZZZ-ZZZZ' })).body.error).toBe('approval_unknown');
  expect((await open(device, {})).body.error).toBe('approval_unknown');
  const noRequest = await stack.post('/app/approvals/open', {});
  expect([noRequest.status, noRequest.body.error]).toEqual([400, 'app_request_invalid']);
});

test('a withdrawn device cannot open a QR', async () => {
  const spare = await stack.enrol('Vecchio telefono');
  const devices = stack.app.credentials.appDevices;
  expect(await devices.withdraw(devices.citizenIndex(DEMO_HOLDER.fiscalCode), spare.deviceId)).toBe(true);
  const qr = await qrPage();
  const refused = await open(spare, { qr: qr.nonce });
  expect([refused.status, refused.body.error]).toEqual([401, 'app_device_unknown']);
  // The QR was not spent by the refused device.
  expect((await open(device, { qr: qr.nonce })).status).toBe(200);
}, 60_000);
