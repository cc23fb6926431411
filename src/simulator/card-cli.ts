#!/usr/bin/env node
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  deviceAuthCaPublic,
  formatCardSummary,
  loadCardFile,
  mintCard,
  readDeviceAuthKeysFile,
  saveCardFile,
  VirtualCardError,
  writeDeviceAuthKeysFile,
  type CardFamily,
  type DeviceAuthKeys,
} from './card/index.js';
import { CodedError } from '../shared/coded-error.js';

const USAGE = `Usage:
  cie-card issue --fiscal-code CF --given-name NAME --family-name NAME --birth-date YYYY-MM-DD
                 [--email ADDRESS] [--pin 12345678] [--puk 87654321] [--document-number CA00000AA]
                 [--family gemalto|nxp] --out card.json --device-keys device-auth.json --pki DIR
  cie-card show card.json
`;

function usageError(message: string): VirtualCardError {
  return new VirtualCardError('usage', `${message}\n\n${USAGE}`);
}

/** The device-auth key file is shared by all cards and the bridge; the first `issue` creates it. */
async function deviceKeys(path: string): Promise<DeviceAuthKeys> {
  try {
    await access(path);
  } catch {
    process.stderr.write(`creating device-auth keys ${path}\n`);
    return writeDeviceAuthKeysFile(path);
  }
  return readDeviceAuthKeysFile(path);
}

async function issue(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'fiscal-code': { type: 'string' },
      'given-name': { type: 'string' },
      'family-name': { type: 'string' },
      'birth-date': { type: 'string' },
      email: { type: 'string' },
      pin: { type: 'string', default: '12345678' },
      puk: { type: 'string', default: '87654321' },
      'document-number': { type: 'string' },
      family: { type: 'string', default: 'gemalto' },
      out: { type: 'string' },
      'device-keys': { type: 'string' },
      pki: { type: 'string' },
    },
  });
  const fiscalCode = values['fiscal-code'];
  const givenName = values['given-name'];
  const familyName = values['family-name'];
  const birthDate = values['birth-date'];
  const { out, pki: pkiDir } = values;
  const deviceKeysPath = values['device-keys'];
  if (!fiscalCode || !givenName || !familyName || !birthDate || !out || !deviceKeysPath || !pkiDir) {
    throw usageError('missing a required option');
  }
  if (values.family !== 'gemalto' && values.family !== 'nxp') throw usageError('--family must be gemalto or nxp');
  const family: CardFamily = values.family;

  const keys = await deviceKeys(deviceKeysPath);
  // Loaded lazily: only `issue` needs the test PKI.
  const { loadDocumentSigner, loadTestPki, signSecurityObject } = await import('./pki/index.js');
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
      pin: values.pin,
      puk: values.puk,
      deviceAuthCa: deviceAuthCaPublic(keys),
      family,
    },
    (request) => pki.issueCardCertificate(request),
    (dataGroups) => signSecurityObject(documentSigner, dataGroups),
  );
  await saveCardFile(out, card);
  process.stdout.write(`card written to ${out}\n${formatCardSummary(card)}`);
}

async function show(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const path = positionals[0];
  if (!path || positionals.length !== 1) throw usageError('show takes exactly one card file');
  process.stdout.write(formatCardSummary(await loadCardFile(path)));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'issue') await issue(rest);
    else if (command === 'show') await show(rest);
    else {
      process.stderr.write(USAGE);
      return 2;
    }
    return 0;
  } catch (error) {
    const code = error instanceof CodedError ? ` [${error.code}]` : '';
    process.stderr.write(`cie-card: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
