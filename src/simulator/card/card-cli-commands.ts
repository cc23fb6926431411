import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/coded-error.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, isUsageError, UsageError } from '../command-line.js';
import { PIN_TRIES, PUK_TRIES, type CardFamily } from './card-data.js';
import { loadCardFile, lockCardFile, saveCardFile } from './card-file.js';
import { formatCardSummary } from './card-summary.js';
import { type DeviceAuthKeys, deviceAuthCaPublic, readDeviceAuthKeysFile, writeDeviceAuthKeysFile } from './device-auth-keys.js';
import { VirtualCardError } from './errors.js';
import { fiscalCodeCheckCharacter, fiscalCodeProblem } from './fiscal-code-check.js';
import { mintCard } from './mint-card.js';

export interface CardCliIo {
  out(text: string): void;
  err(text: string): void;
}


/** The codes `issue` sets, and `reset` puts back, when none are given: the demo card's (README). */
export const DEFAULT_PIN = '12345678';
export const DEFAULT_PUK = '87654321';

export const USAGE = `Usage: cie-card <command> [options]

  issue --fiscal-code CF --given-name NAME --family-name NAME --birth-date YYYY-MM-DD
        [--email ADDRESS] [--pin ${DEFAULT_PIN}] [--puk ${DEFAULT_PUK}] [--document-number CA00000AA]
        [--family gemalto|nxp] --out card.json --device-keys device-auth.json --pki DIR
                     mint a virtual CIE; prints its PIN and PUK
  show card.json     describe a card file (holder, counters, certificate; never PIN or PUK)
  reset card.json [--pin ${DEFAULT_PIN}] [--puk ${DEFAULT_PUK}]
                     set PIN and PUK again, all tries back, the digital identity usable
                     (safe while a bridge uses the card: done under the card file's lock)

Exit codes: 0 success, 1 failure, 2 usage error. --help prints this text.`;

const EIGHT_DIGITS = /^[0-9]{8}$/;

/** Runs one cie-card command line and returns its exit code; never throws. */
export async function runCardCli(argv: readonly string[], io: CardCliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) throw new UsageError('missing command');
    if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help') || rest.includes('-h')) {
      io.out(`${USAGE}\n`);
      return EXIT_OK;
    }
    if (command === 'issue') await issue(rest, io);
    else if (command === 'show') await show(rest, io);
    else if (command === 'reset') await reset(rest, io);
    else throw new UsageError(`unknown command "${command}"`);
    return EXIT_OK;
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`cie-card: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    const code = error instanceof CodedError ? ` [${error.code}]` : '';
    io.err(`cie-card: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    return EXIT_FAILURE;
  }
}

function code(value: string, option: '--pin' | '--puk'): string {
  if (!EIGHT_DIGITS.test(value)) throw new UsageError(`${option} must be 8 digits`);
  return value;
}

/** The device-auth key file is shared by all cards and the bridge; the first `issue` creates it. */
async function deviceKeys(path: string, io: CardCliIo): Promise<DeviceAuthKeys> {
  try {
    await access(path);
  } catch {
    io.err(`creating device-auth keys ${path}\n`);
    return writeDeviceAuthKeysFile(path);
  }
  return readDeviceAuthKeysFile(path);
}

async function issue(args: string[], io: CardCliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'fiscal-code': { type: 'string' },
      'given-name': { type: 'string' },
      'family-name': { type: 'string' },
      'birth-date': { type: 'string' },
      email: { type: 'string' },
      pin: { type: 'string', default: DEFAULT_PIN },
      puk: { type: 'string', default: DEFAULT_PUK },
      'document-number': { type: 'string' },
      family: { type: 'string', default: 'gemalto' },
      out: { type: 'string' },
      'device-keys': { type: 'string' },
      pki: { type: 'string' },
    },
  });
  const fiscalCode = values['fiscal-code']?.toUpperCase();
  const givenName = values['given-name'];
  const familyName = values['family-name'];
  const birthDate = values['birth-date'];
  const { out, pki: pkiDir } = values;
  const deviceKeysPath = values['device-keys'];
  if (!fiscalCode || !givenName || !familyName || !birthDate || !out || !deviceKeysPath || !pkiDir) throw new UsageError('missing a required option');
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(birthDate)) throw new UsageError('--birth-date must be YYYY-MM-DD');
  checkFiscalCode(fiscalCode, birthDate);
  if (values.family !== 'gemalto' && values.family !== 'nxp') throw new UsageError('--family must be gemalto or nxp');
  const family: CardFamily = values.family;
  const pin = code(values.pin, '--pin');
  const puk = code(values.puk, '--puk');

  const keys = await deviceKeys(deviceKeysPath, io);
  // Loaded lazily: only `issue` needs the test PKI.
  const { loadDocumentSigner, loadTestPki, signSecurityObject } = await import('../pki/index.js');
  const pki = await loadTestPki(pkiDir);
  const documentSigner = await loadDocumentSigner(pkiDir);
  const card = await mintCard(
    {
      holder: {
        fiscalCode,
        givenName,
        familyName,
        birthDate,
        ...(values.email ? { email: values.email } : {}),
        ...(values['document-number'] ? { documentNumber: values['document-number'] } : {}),
      },
      pin,
      puk,
      deviceAuthCa: deviceAuthCaPublic(keys),
      family,
    },
    (request) => pki.issueCardCertificate(request),
    (dataGroups) => signSecurityObject(documentSigner, dataGroups),
  );
  await saveCardFile(out, card);
  // A test card: its codes are printed once, here, so whoever minted it can use it.
  io.out(`card written to ${out}\n${formatCardSummary(card)}PIN:              ${pin}\nPUK:              ${puk}\n`);
}

function checkFiscalCode(fiscalCode: string, birthDate: string): void {
  switch (fiscalCodeProblem(fiscalCode, birthDate)) {
    case 'structure':
      throw new UsageError(`--fiscal-code ${fiscalCode} is not a natural person's codice fiscale (16 characters: 6 letters, birth date and place, check letter)`);
    case 'check_character':
      throw new UsageError(`--fiscal-code ${fiscalCode}: the check letter should be ${fiscalCodeCheckCharacter(fiscalCode.slice(0, 15))}, not ${fiscalCode[15]}`);
    case 'birth_date':
      throw new UsageError(`--fiscal-code ${fiscalCode} does not encode the birth date ${birthDate}`);
    default:
  }
}

async function show(args: string[], io: CardCliIo): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const path = positionals[0];
  if (!path || positionals.length !== 1) throw new UsageError('show takes exactly one card file');
  io.out(formatCardSummary(await loadCardFile(path)));
}

async function reset(args: string[], io: CardCliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { pin: { type: 'string', default: DEFAULT_PIN }, puk: { type: 'string', default: DEFAULT_PUK } },
  });
  const path = positionals[0];
  if (!path || positionals.length !== 1) throw new UsageError('reset takes exactly one card file');
  const pin = code(values.pin, '--pin');
  const puk = code(values.puk, '--puk');
  // Under the lock a running bridge takes for each card session: never half-way through one of its sessions.
  const lock = await lockCardFile(path);
  try {
    const card = await loadCardFile(path);
    Object.assign(card.state, { pin, puk, pinTriesLeft: PIN_TRIES, pukTriesLeft: PUK_TRIES, identityBlocked: false });
    await saveCardFile(path, card);
  } finally {
    await lock.release();
  }
  io.out(`card ${path} reset: PIN ${pin}, PUK ${puk}, ${PIN_TRIES} PIN tries and ${PUK_TRIES} PUK tries left, digital identity usable\n`);
}

