import fc from 'fast-check';
import { toHex } from '../../../src/simulator/card/bytes.js';
import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { swHex, SmHost, traceRandom, verifyApdu } from './test-host.js';
import { traceCard } from './vectors.js';

function card(): VirtualCieCard {
  return new VirtualCieCard(traceCard(), { random: traceRandom() });
}

describe('malformed APDUs', () => {
  it.each([
    ['empty', '', '6700'],
    ['shorter than a header', '00A404', '6700'],
    ['Lc larger than the data', '00A4040C0DA000000030', '6700'],
    ['Lc smaller than the data (two extra bytes)', '00A4040C02A0000000', '6700'],
    ['extended length', '00B000000001000', '6700'],
    ['unknown INS', '00FE0000', '6D00'],
    ['wrong CLA', '80A4040C06A00000000039', '6E00'],
    ['proprietary CLA with SM bits', 'FFA40000', '6E00'],
    ['SM CLA without an SM session', '0C84000000', '6988'],
    ['GET RESPONSE with nothing pending', '00C0000010', '6985'],
  ])('%s → %s', (_name, apdu, expected) => {
    expect(toHex(card().transmit(Buffer.from(apdu.length % 2 ? `${apdu}0` : apdu, 'hex')))).toBe(expected);
  });

  it('never throws and always answers at least a status word, whatever the bytes', () => {
    const subject = card();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const answer = subject.transmit(bytes);
        expect(answer.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random commands with a valid header under an open SM session', () => {
    const subject = card();
    SmHost.establish(subject);
    fc.assert(
      fc.property(
        fc.constantFrom(0x00, 0x0c, 0x10, 0x1c),
        fc.constantFrom(0xa4, 0xb0, 0xcb, 0x22, 0x2a, 0x84, 0x82, 0x88, 0x20, 0x24, 0x2c, 0xc0),
        fc.uint8Array({ minLength: 2, maxLength: 260 }),
        (cla, ins, rest) => {
          const answer = subject.transmit(Uint8Array.of(cla, ins, ...rest));
          expect(answer.length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('secure messaging failures', () => {
  it('a tampered MAC gets 6988 and drops the SM session', () => {
    const subject = card();
    const host = SmHost.establish(subject);
    const command = host.protect(0x00, 0x20, 0x00, 0x81, Buffer.from('12345678'), undefined);
    command[command.length - 2]! ^= 0x01;
    expect(toHex(subject.transmit(command))).toBe('6988');
    // The next, correctly protected command finds no session any more.
    expect(swHex(host.send(verifyApdu(0x81, '12345678')))).toBe('6988');
    expect(subject.state.pinTriesLeft).toBe(3);
  });

  it('a replayed command (old SSC) gets 6988', () => {
    const subject = card();
    const host = SmHost.establish(subject);
    const command = host.protect(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(0x10, 0x01), undefined);
    expect(subject.transmit(command).length).toBeGreaterThan(2);
    expect(toHex(subject.transmit(command))).toBe('6988');
  });

  it('a reset drops the session', () => {
    const subject = card();
    const host = SmHost.establish(subject);
    subject.reset();
    expect(swHex(host.send(verifyApdu(0x81, '12345678')))).toBe('6988');
  });

  it('PIN commands need DAPP: under SM right after the key agreement VERIFY gets 6982 inside DO99', () => {
    const subject = card();
    const host = SmHost.afterKeyAgreement(subject);
    expect(swHex(host.send(verifyApdu(0x81, '12345678')))).toBe('6982');
    expect(subject.state.pinTriesLeft).toBe(3);
  });
});
