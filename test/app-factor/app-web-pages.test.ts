import request from 'supertest';
import { createAppWeb } from '../../src/simulator/app/app-web.js';
import { DeviceKeyStore, newDeviceKey } from '../../src/simulator/app/device-key-store.js';
import type { PhoneCardReader } from '../../src/simulator/app/phone-card-reader.js';

// The app simulator's level-2 pages on their own, against a stand-in provider that records what the app
// sends (the real provider: app-factor-logins.test.ts and the Chromium test).

const ORIGIN = 'https://id.example.it';
const CODE = '482915';
const APPROVAL = 'a'.repeat(32);

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

async function app() {
  const store = DeviceKeyStore.inMemory();
  const key = newDeviceKey();
  await store.add({ origin: ORIGIN, deviceId: 'd'.repeat(32), name: 'Pixel', publicJwk: key.publicJwk, privateKey: key.privateKey, code: CODE });
  const sent: Array<{ url: string; body: Record<string, string> }> = [];
  const provider: typeof fetch = async (input, init) => {
    const url = String(input);
    sent.push({ url, body: JSON.parse(String(init?.body)) as Record<string, string> });
    const answer = url.endsWith('/pending')
      ? { approvals: [{ approval: APPROVAL, kind: 'push', requester: 'Comune di Esempio', level: 'https://www.spid.gov.it/SpidL2', numbers: [42, 17, 85], expires_at: Date.now() + 60_000 }] }
      : { state: 'approved' };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const web = createAppWeb({ reader: {} as PhoneCardReader, store, fetch: provider, providerOrigin: ORIGIN }).callback();
  return { web, sent };
}

test('the menu and the three level-2 pages; the provider\'s address is filled in', async () => {
  const { web } = await app();
  for (const [path, title] of [['/certify', 'Certifica questo dispositivo'], ['/pending', 'Richieste in attesa'], ['/l2', 'Entra con QR code (livello 2)']]) {
    const page = await request(web).get(path!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1>${title}</h1>`);
    expect(page.text).toContain(`value="${ORIGIN}"`);
  }
  expect((await request(web).get('/')).text).toContain('<a href="/pending">Richieste in attesa</a>');
});

test('a wrong security code is the app\'s own refusal with the tries left: nothing is sent to the provider', async () => {
  const { web, sent } = await app();
  const page = await request(web).post('/pending').type('form').send({ origin: ORIGIN, security_code: '999999' });
  expect(page.status).toBe(400);
  expect(page.text).toContain('data-code="wrong_security_code"');
  expect(page.text).toContain('Tentativi rimasti: 4');
  expect(page.text).not.toContain('999999');
  expect(sent).toEqual([]);
  const other = await request(web).post('/pending').type('form').send({ origin: 'https://other.example', security_code: CODE });
  expect(other.text).toContain('data-code="not_certified"');
  expect(sent).toEqual([]);
});

test('a push: three numbers to tap and "Rifiuta"; a number not shown is not sent; the one tapped is signed with the configured origin as aud', async () => {
  const { web, sent } = await app();
  const shown = await request(web).post('/pending').type('form').send({ origin: ORIGIN, security_code: CODE });
  expect(shown.text).toContain('<strong>Comune di Esempio</strong> (id.example.it)');
  expect([...shown.text.matchAll(/class="number">(\d+)</g)].map((m) => m[1])).toEqual(['42', '17', '85']);
  expect(shown.text).toContain('id="deny"');
  const id = /name="id" value="([^"]+)"/.exec(shown.text)![1]!;
  expect(payloadOf(sent[0]!.body.request!)).toMatchObject({ aud: ORIGIN });

  const notShown = await request(web).post('/decide').type('form').send({ id, decision: 'approve', number: '43' });
  expect(notShown.text).toContain('data-code="number_not_offered"');
  expect(sent).toHaveLength(1);
  const tapped = await request(web).post('/decide').type('form').send({ id, decision: 'approve', number: '17' });
  expect(tapped.text).toContain('data-state="approved"');
  expect(sent[1]!.url).toBe(`${ORIGIN}/app/approvals/${APPROVAL}`);
  expect(payloadOf(sent[1]!.body.response!)).toMatchObject({ aud: ORIGIN, approval: APPROVAL, decision: 'approve', number: 17, user_verification: 'pin' });
  // Answered once: the unlocked key is gone with it.
  expect((await request(web).post('/decide').type('form').send({ id, decision: 'approve', number: '17' })).status).toBe(410);
});

test('"Rifiuta" sends a signed deny, without a number or user verification', async () => {
  const { web, sent } = await app();
  const shown = await request(web).post('/pending').type('form').send({ origin: ORIGIN, security_code: CODE });
  const id = /name="id" value="([^"]+)"/.exec(shown.text)![1]!;
  await request(web).post('/decide').type('form').send({ id, decision: 'deny' });
  const payload = payloadOf(sent[1]!.body.response!);
  expect(payload).toMatchObject({ aud: ORIGIN, approval: APPROVAL, decision: 'deny' });
  expect(payload).not.toHaveProperty('number');
  expect(payload).not.toHaveProperty('user_verification');
});

test('a QR that is not a level-2 link, and two different new security codes, are refused before anything is sent', async () => {
  const { web, sent } = await app();
  const l3 = await request(web).post('/l2').type('form').send({ qr: `${ORIGIN}/smartphone/qr#${'n'.repeat(43)}`, security_code: CODE });
  expect(l3.text).toContain('data-code="bad_link"');
  const mismatch = await request(web).post('/certify').type('form').send({ origin: ORIGIN, name: 'x', security_code: '482915', security_code_again: '482916', pin: '12345678' });
  expect(mismatch.text).toContain('data-code="security_code_mismatch"');
  expect(sent).toEqual([]);
});
