import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describeFailure } from '../../src/bridge/cli/describe-failure.js';
import { isWeakPin } from '../../src/bridge/new-pin-policy.js';
import { askOnTerminal, type TerminalInput } from '../../src/bridge/cli/terminal-input.js';
import { CardError } from '../../src/card/index.js';
import { TransportError } from '../../src/transport/card-transport.js';

describe('new PIN policy', () => {
  test.each(['00000000', '77777777', '01234567', '23456789', '98765432', '76543210'])('%s is weak', (pin) => {
    expect(isWeakPin(pin)).toBe(true);
  });

  test.each(['27182818', '12345679', '11111112', '89012345', '13579135'])('%s is accepted', (pin) => {
    expect(isWeakPin(pin)).toBe(false);
  });

  test('a PIN whose digits do not all move by the same step of -1, 0 or +1 is accepted', () => {
    const eightDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(eightDigits, (digits) => {
        const steps = new Set(digits.slice(1).map((digit, i) => digit - digits[i]!));
        const trivial = steps.size === 1 && [-1, 0, 1].includes([...steps][0]!);
        expect(isWeakPin(digits.join(''))).toBe(trivial);
      }),
    );
  });
});

describe('failure messages', () => {
  test.each([
    ['no_card', new TransportError('no_card', 'x'), 'Nessuna carta sul lettore. Appoggia la CIE sul lettore e riprova.'],
    ['no_reader', new TransportError('no_reader', 'x'), 'Nessun lettore di smart card trovato. Collega il lettore e riprova.'],
    ['pcsc_unavailable', new TransportError('pcsc_unavailable', 'x'), 'Il servizio smart card del sistema (PC/SC) non è disponibile. Avvia pcscd e riprova.'],
    ['unsupported_card', new CardError('unsupported_card', 'x'), 'Questa carta non è una CIE 3.0 riconosciuta.'],
    ['wrong_puk without tries', new CardError('wrong_puk', 'x'), 'PUK errato.'],
    ['an uncoded error, whatever its text', new TypeError('12345678'), 'Errore inatteso. Riprova; se il problema persiste, segnalalo. (TypeError)'],
  ])('%s', (_name, error, text) => {
    expect(describeFailure(error, 'it')).toBe(text);
  });

  test('the blocked PIN says how to unblock it, and what a blocked PUK means', () => {
    const text = describeFailure(new CardError('pin_blocked', 'x'), 'en');
    expect(text).toContain('cie-bridge pin unblock');
    expect(text).toContain('the card must be replaced');
  });

  test('a blocked PUK: the card must be replaced at the Comune', () => {
    expect(describeFailure(new CardError('puk_blocked', 'x'), 'it')).toContain('La carta deve essere sostituita: rivolgiti al tuo Comune.');
  });
});

describe('typing on a terminal', () => {
  function fakeTerminal() {
    const input = Object.assign(new PassThrough({ encoding: 'utf8' }), {
      rawModes: [] as boolean[],
      setRawMode(mode: boolean) {
        this.rawModes.push(mode);
        return this;
      },
    });
    const output = new PassThrough();
    const written: string[] = [];
    output.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    return { input: input satisfies TerminalInput, output, written };
  }

  test('a secret is read in raw mode and never echoed; backspace edits it', async () => {
    const { input, output, written } = fakeTerminal();
    const answer = askOnTerminal(input, output, 'PIN:', true);
    input.write('1234x\u007f5678\r');
    expect(await answer).toBe('12345678');
    expect(written.join('')).toBe('PIN: \n');
    expect(input.rawModes).toEqual([true, false]);
  });

  test('Ctrl-C while typing a secret cancels', async () => {
    const { input, output } = fakeTerminal();
    const answer = askOnTerminal(input, output, 'PUK:', true);
    input.write('87\u0003');
    expect(await answer).toBeUndefined();
    expect(input.rawModes.at(-1)).toBe(false);
  });
});
