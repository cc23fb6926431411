import request from 'supertest';
import type { CardStep } from '../../src/card/index.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { createAppWeb } from '../../src/simulator/app/app-web.js';
import { openAppSession, signAndPost } from '../../src/simulator/app/app-client.js';
import { PhoneCardReader } from '../../src/simulator/app/phone-card-reader.js';
import { desktopStart, startPhoneStack, type PhoneStack } from './support/phone-stack.js';

let stack: PhoneStack;
beforeAll(async () => {
  stack = await startPhoneStack();
});
afterAll(async () => {
  await stack?.close();
});

const qrLinkOf = async (desktop: { sessionId: string; cookie: string }) =>
  ((await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json()) as { qr_link: string; typed_code: string });

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

describe('the CieID-app simulator as a local web app', () => {
  test('QR link → who asks → wrong PIN (tries left, same session) → right PIN → the OTP, which the desktop accepts', async () => {
    const { reader } = await stack.phoneReader();
    const web = createAppWeb({ reader }).callback();
    const desktop = await desktopStart(stack);
    const { qr_link } = await qrLinkOf(desktop);

    const shown = await request(web).post('/open').type('form').send({ qr: qr_link });
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<strong>Comune di Esempio</strong> (127.0.0.1:');
    expect(shown.text).toContain('livello 3');
    const id = hidden(shown.text, 'id');

    const wrong = await request(web).post('/pin').type('form').send({ id, pin: '00000000' });
    expect(wrong.text).toContain('PIN errato. Tentativi rimasti: 2.');
    expect(wrong.text).not.toContain('00000000');

    const right = await request(web).post('/pin').type('form').send({ id, pin: DEMO_PIN });
    const otp = /<p id="otp"[^>]*>([0-9]{6})</.exec(right.text)![1]!;
    const confirmed = await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}/otp`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: desktop.cookie }, body: JSON.stringify({ otp }) });
    expect(confirmed.status).toBe(200);
    // The opened session is gone from the app once used.
    expect((await request(web).post('/pin').type('form').send({ id, pin: DEMO_PIN })).status).toBe(410);
  });

  test('a used QR shows the provider\'s refusal, in the app\'s words', async () => {
    const { reader } = await stack.phoneReader();
    const web = createAppWeb({ reader }).callback();
    const desktop = await desktopStart(stack);
    const { qr_link } = await qrLinkOf(desktop);
    await request(web).post('/open').type('form').send({ qr: qr_link });
    const again = await request(web).post('/open').type('form').send({ qr: qr_link });
    expect(again.status).toBe(400);
    expect(again.text).toContain('data-code="qr_invalid"');
    const notALink = await request(web).post('/open').type('form').send({ qr: 'https://elsewhere.example/x' });
    expect(notALink.text).toContain('data-code="bad_link"');
  });
});

describe('the card pulled away from the phone mid-way', () => {
  test('the read fails with card_removed, nothing is posted, and the same session succeeds once the card is back', async () => {
    const { terminal, keys } = await stack.phoneReader();
    const desktop = await desktopStart(stack);
    const { qr_link } = await qrLinkOf(desktop);
    const session = await openAppSession({ qrLink: qr_link });

    // A reader whose card leaves the field once the secure channel is open.
    let pulled = false;
    class PullingReader extends PhoneCardReader {
      override sign(pin: string, digest: Uint8Array, onStep?: (step: CardStep) => void) {
        return super.sign(pin, digest, (step) => {
          onStep?.(step);
          if (step === 'secure_channel' && !pulled) {
            pulled = true;
            terminal.remove();
          }
        });
      }
    }
    const pulling = new PullingReader(terminal, keys);
    await expect(signAndPost(session, DEMO_PIN, pulling)).rejects.toMatchObject({ code: 'card_removed' });
    const view = await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json() as { state: string };
    expect(view.state).toBe('app_opened');

    const { terminal: again } = await stack.phoneReader();
    const outcome = await signAndPost(session, DEMO_PIN, new PhoneCardReader(again, keys));
    expect(outcome).toMatchObject({ mode: 'cross_device', otp: expect.stringMatching(/^[0-9]{6}$/) });
  });
});
