import { createPublicKey, createHash, verify as verifySignature } from 'node:crypto';
import type { CardMutableState } from '../../../src/simulator/card/card-data.js';
import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { swHex, SmHost, traceRandom, verifyApdu } from './test-host.js';
import { traceCard } from './vectors.js';

const PIN = '12345678';
const PUK = '87654321';
const WRONG = '00000000';
const SIGN_SE = '002241A406800102840181';

function digestInfo(message: string): string {
  return `3031300D060960864801650304020105000420${createHash('sha256').update(message).digest('hex').toUpperCase()}`;
}

function openCard(): { card: VirtualCieCard; host: SmHost; changes: CardMutableState[] } {
  const changes: CardMutableState[] = [];
  const card = new VirtualCieCard(traceCard(), { random: traceRandom(), onStateChange: (state) => changes.push(state) });
  return { card, host: SmHost.establish(card), changes };
}

describe('PIN counter', () => {
  it('counts 63C2, 63C1, 63C0, then blocks with 6983 even for the right PIN, persisting every step', () => {
    const { card, host, changes } = openCard();
    const answers = [WRONG, WRONG, WRONG, PIN, WRONG].map((code) => swHex(host.send(verifyApdu(0x81, code))));
    expect(answers).toEqual(['63C2', '63C1', '63C0', '6983', '6983']);
    expect(changes.map((state) => state.pinTriesLeft)).toEqual([2, 1, 0]);
    expect(card.state.pinTriesLeft).toBe(0);
  });

  it('a correct PIN restores the three tries', () => {
    const { card, host } = openCard();
    expect(swHex(host.send(verifyApdu(0x81, WRONG)))).toBe('63C2');
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('9000');
    expect(card.state.pinTriesLeft).toBe(3);
  });

  it('an empty VERIFY reports the tries without spending one', () => {
    const { host } = openCard();
    host.send(verifyApdu(0x81, WRONG));
    expect(swHex(host.send('00200081'))).toBe('63C2');
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('9000');
    expect(swHex(host.send('00200081'))).toBe('9000');
  });

  it('is refused in plain (6982) and does not count', () => {
    const { card } = openCard();
    expect(exchange(card, verifyApdu(0x81, WRONG))).toBe('6982');
    expect(card.state.pinTriesLeft).toBe(3);
  });

  it('CHANGE REFERENCE DATA replaces the PIN', () => {
    const { card, host } = openCard();
    const data = Buffer.from(`${PIN}11223344`, 'ascii').toString('hex').toUpperCase();
    expect(swHex(host.send(`0024008110${data}`))).toBe('9000');
    expect(card.state.pin).toBe('11223344');
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('63C2');
    expect(swHex(host.send(verifyApdu(0x81, '11223344')))).toBe('9000');
  });
});

describe('unblocking with the PUK', () => {
  function blockPin(host: SmHost): void {
    for (let i = 0; i < 3; i++) host.send(verifyApdu(0x81, WRONG));
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('6983');
  }

  it('RESET RETRY COUNTER 2C 02 sets a new PIN after VERIFY PUK, and signing works again', () => {
    const { card, host } = openCard();
    blockPin(host);
    expect(swHex(host.send(`002C028108${Buffer.from('55667788').toString('hex')}`))).toBe('6982');
    expect(swHex(host.send(verifyApdu(0x82, PUK)))).toBe('9000');
    expect(swHex(host.send(`002C028108${Buffer.from('55667788').toString('hex')}`))).toBe('9000');
    expect(card.state).toMatchObject({ pin: '55667788', pinTriesLeft: 3 });
    expect(swHex(host.send(verifyApdu(0x81, '55667788')))).toBe('9000');

    expect(swHex(host.send(SIGN_SE))).toBe('9000');
    const signed = host.send(`0088000033${digestInfo('hello')}`);
    expect(swHex(signed)).toBe('9000');
    const publicKey = createPublicKey(traceCard().authKey);
    expect(verifySignature('sha256', Buffer.from('hello'), publicKey, signed.data)).toBe(true);
  });

  it('RESET RETRY COUNTER 2C 03 only restores the counter', () => {
    const { card, host } = openCard();
    blockPin(host);
    expect(swHex(host.send(verifyApdu(0x82, PUK)))).toBe('9000');
    expect(swHex(host.send('002C0381'))).toBe('9000');
    expect(card.state.pinTriesLeft).toBe(3);
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('9000');
  });
});

describe('PUK exhaustion', () => {
  it('counts 63C9 … 63C0, then blocks the digital identity for good', () => {
    const { card, host, changes } = openCard();
    const answers = Array.from({ length: 10 }, () => swHex(host.send(verifyApdu(0x82, WRONG))));
    expect(answers).toEqual(['63C9', '63C8', '63C7', '63C6', '63C5', '63C4', '63C3', '63C2', '63C1', '63C0']);
    expect(changes.at(-1)).toMatchObject({ pukTriesLeft: 0, identityBlocked: true });
    expect(swHex(host.send(verifyApdu(0x82, PUK)))).toBe('6983');
    expect(swHex(host.send(verifyApdu(0x81, PIN)))).toBe('6983');
    expect(swHex(host.send('002C0381'))).toBe('6983');
    expect(swHex(host.send(SIGN_SE))).toBe('9000');
    expect(swHex(host.send(`0088000033${digestInfo('x')}`))).toBe('6983');
    expect(card.state.identityBlocked).toBe(true);
  });
});

describe('signing with key 81', () => {
  it('needs a verified PIN in this SM session', () => {
    const { host } = openCard();
    expect(swHex(host.send(SIGN_SE))).toBe('9000');
    expect(swHex(host.send(`0088000033${digestInfo('x')}`))).toBe('6982');
  });
});
