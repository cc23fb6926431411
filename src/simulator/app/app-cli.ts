import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseDeviceAuthKeys } from '../../card/index.js';
import { CodedError } from '../../shared/coded-error.js';
import { CardFileTerminal } from '../virtual-bridge/card-file-terminal.js';
import { EXIT_OK, runCommand, UsageError, type CliIo } from '../command-line.js';
import { signInWithApp, type AppEntry } from './app-client.js';
import { approveCommand, enrolCommand, scanL2Command, type FactorCommandInput } from './app-factor-commands.js';
import { PhoneCardReader } from './phone-card-reader.js';

export const APP_USAGE = `Usage: cie-app sign --card <virtual card file> --device-keys <file> (--qr <link> | --origin <url> --code <XXXX-XXXX>)
       cie-app enrol --card <file> --device-keys <file> --keystore <file> --origin <provider url> [--name <device name>]
       cie-app approve --keystore <file> --origin <provider url>
       cie-app scan-l2 --keystore <file> (--qr <link> | --origin <provider url> --code <XXXX-XXXX>)
       cie-app --help
The CieID-app simulator; secrets and choices are read as lines of stdin, never from the command line.
  sign     Level 3 with the card ("Prosegui con smartphone"): opens the sign-in from its QR link (or typed code),
           shows which site asks, reads the PIN, signs with the virtual card, prints the OTP (or the hand-back link).
  enrol    "Certifica questo dispositivo": reads the new security code (6–12 digits) then the card's PIN, reads the
           card (level 3) and keeps the new device key in --keystore, sealed with the security code.
  approve  "Richieste in attesa": reads the security code, shows the push waiting (who asks and three numbers),
           reads the number the browser shows (or "no" to refuse) and answers it.
  scan-l2  "Entra con QR code" at level 2: reads the security code, opens the desktop's QR (or typed code), shows
           who asks, reads "s" to approve (anything else refuses).`;

/** `cie-app sign …`: the app's whole level-3 sign-in from a terminal (tests, and a developer without a phone). */
async function signCommand({ values, io, readLine, fetch: fetchImpl }: FactorCommandInput): Promise<number> {
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
}

const COMMANDS: Record<string, (input: FactorCommandInput) => Promise<number>> = { sign: signCommand, enrol: enrolCommand, approve: approveCommand, 'scan-l2': scanL2Command };

/** `cie-app <command>`: the CieID-app simulator from a terminal. Every coded error (card, key store, provider) exits 1 with its code. */
export async function runAppCli(args: string[], io: CliIo, readLine: () => Promise<string | undefined>, fetchImpl?: typeof fetch): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === 'help')) {
    io.out(APP_USAGE);
    return EXIT_OK;
  }
  return runCommand('cie-app', APP_USAGE, CodedError, async () => {
    const options = { card: { type: 'string' }, 'device-keys': { type: 'string' }, qr: { type: 'string' }, origin: { type: 'string' }, code: { type: 'string' }, keystore: { type: 'string' }, name: { type: 'string' } } as const;
    const { positionals, values } = parseArgs({ args, allowPositionals: true, strict: true, options });
    const command = positionals.length === 1 && Object.hasOwn(COMMANDS, positionals[0]!) ? COMMANDS[positionals[0]!] : undefined;
    if (!command) throw new UsageError(`expected one command: ${Object.keys(COMMANDS).join(', ')}`);
    return command({ values, io, readLine, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  }, io);
}
