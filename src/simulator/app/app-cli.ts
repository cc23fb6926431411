import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseDeviceAuthKeys } from '../../card/index.js';
import { CardFileTerminal } from '../virtual-bridge/card-file-terminal.js';
import { EXIT_OK, runCommand, UsageError, type CliIo } from '../command-line.js';
import { AppClientError, signInWithApp, type AppEntry } from './app-client.js';
import { PhoneCardReader } from './phone-card-reader.js';

export const APP_USAGE = `Usage: cie-app sign --card <virtual card file> --device-keys <file> (--qr <link> | --origin <url> --code <XXXX-XXXX>)
The CieID-app simulator: opens a smartphone sign-in from its QR link (or typed code), shows which
site asks, reads the PIN as the next line of stdin, signs with the virtual card through the card
protocol, and prints the one-time code to type on the computer (or the hand-back link).`;

/** `cie-app sign …`: the app's whole sign-in from a terminal (tests, and a developer without a phone). */
export async function runAppCli(args: string[], io: CliIo, readLine: () => Promise<string | undefined>, fetchImpl?: typeof fetch): Promise<number> {
  return runCommand('cie-app', APP_USAGE, AppClientError, async () => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, strict: true, options: { card: { type: 'string' }, 'device-keys': { type: 'string' }, qr: { type: 'string' }, origin: { type: 'string' }, code: { type: 'string' } } });
    if (positionals.length !== 1 || positionals[0] !== 'sign') throw new UsageError('expected the command "sign"');
    if (!values.card || !values['device-keys']) throw new UsageError('--card and --device-keys are required');
    const entry: AppEntry | undefined = values.qr ? { qrLink: values.qr } : values.origin && values.code ? { origin: values.origin, typedCode: values.code } : undefined;
    if (!entry) throw new UsageError('give --qr, or --origin with --code');
    const keys = parseDeviceAuthKeys(JSON.parse(await readFile(values['device-keys'], 'utf8')));
    // The card file's own reader: its PIN counters are written back, and a running bridge on the same card waits its turn.
    const reader = new PhoneCardReader(new CardFileTerminal(values.card), keys);
    try {
      const outcome = await signInWithApp({
        entry,
        reader,
        askPin: async (shown) => {
          io.err(`${shown.requester} (${shown.host}) chiede l'accesso con la CIE, livello ${shown.level}.`);
          io.err('PIN (8 cifre):');
          return readLine();
        },
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
      if (outcome.mode === 'cancelled') io.err('Annullato.');
      else if (outcome.mode === 'cross_device') io.out(`OTP: ${outcome.otp}`);
      else io.out(`Torna al browser: ${outcome.handBackUrl}`);
      return outcome.mode === 'cancelled' ? 1 : EXIT_OK;
    } finally {
      await reader.close();
    }
  }, io);
}
