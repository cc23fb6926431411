import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys } from '../../card/index.js';
import { CardFileTerminal } from '../virtual-bridge/card-file-terminal.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo } from '../command-line.js';
import { decideApproval, l2EntryOf, openQrApproval, pendingApprovals, type ApprovalShown } from './app-approvals.js';
import { providerOrigin, type AppEntry } from './app-entry.js';
import { certifyDevice } from './device-enrolment.js';
import { DeviceKeyStore } from './device-key-store.js';
import { pickNumber } from './number-choice.js';
import { PhoneCardReader } from './phone-card-reader.js';

// The level-2 factor's commands of `cie-app` (docs/app-protocol.md, "The CieID app as a level-2 factor"):
// each reads its secrets (security code, PIN) and choices as lines of stdin, never from the command line.

export interface FactorCommandInput {
  values: Record<string, string | undefined>;
  io: CliIo;
  readLine: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

const required = (values: Record<string, string | undefined>, ...names: string[]) => {
  const missing = names.filter((name) => !values[name]);
  if (missing.length > 0) throw new UsageError(`${missing.map((name) => `--${name}`).join(', ')} required`);
};

const describe = (approval: ApprovalShown) => `${approval.requester} (${approval.host}) chiede l'accesso, livello 2 (${approval.level}).`;

/** `cie-app enrol`: certify this device with a level-3 card read; the new key is kept sealed under the security code. */
export async function enrolCommand({ values, io, readLine, fetch }: FactorCommandInput): Promise<number> {
  required(values, 'card', 'device-keys', 'keystore', 'origin');
  const origin = providerOrigin(values.origin!);
  io.err(`Certifica questo dispositivo per ${new URL(origin).host} (livello 3 con la CIE).`);
  io.err('Scegli il codice di sicurezza dell\'app (da 6 a 12 cifre):');
  const securityCode = (await readLine()) ?? '';
  io.err('PIN della CIE (8 cifre):');
  const pin = (await readLine()) ?? '';
  const keys = parseDeviceAuthKeys(JSON.parse(await readFile(values['device-keys']!, 'utf8')));
  const reader = new PhoneCardReader(new CardFileTerminal(values.card!), keys);
  try {
    const store = await DeviceKeyStore.openFile(values.keystore!);
    const outcome = await certifyDevice({ origin, name: values.name ?? 'CieID (simulatore)', pin, securityCode, reader, store, ...(fetch ? { fetch } : {}) });
    io.out(`Dispositivo certificato: ${outcome.device.deviceId} (${outcome.citizen.givenName} ${outcome.citizen.familyName})${outcome.isDefault ? ', predefinito' : ''}`);
    return EXIT_OK;
  } finally {
    await reader.close();
  }
}

/** `cie-app approve`: the push waiting for this device; the citizen picks the browser's number among three (or answers "no"). */
export async function approveCommand({ values, io, readLine, fetch }: FactorCommandInput): Promise<number> {
  required(values, 'keystore', 'origin');
  const store = await DeviceKeyStore.openFile(values.keystore!);
  io.err('Codice di sicurezza dell\'app:');
  const device = await store.unlock(providerOrigin(values.origin!), (await readLine()) ?? '');
  const [approval] = await pendingApprovals(device, fetch);
  if (!approval) {
    io.out('Nessuna richiesta in attesa.');
    return EXIT_FAILURE;
  }
  io.err(describe(approval));
  io.err(`Scegli il numero mostrato dal browser: ${approval.numbers!.join('  ')}   (oppure "no" per rifiutare)`);
  const answer = ((await readLine()) ?? '').trim().toLowerCase();
  const state = ['no', 'n', 'rifiuta'].includes(answer)
    ? await decideApproval(device, approval.approval, { approve: false }, fetch)
    : await decideApproval(device, approval.approval, { approve: true, number: pickNumber(approval.numbers!, answer), userVerification: 'pin' }, fetch);
  io.out(state === 'approved' ? 'Accesso approvato.' : 'Accesso rifiutato.');
  return state === 'approved' ? EXIT_OK : EXIT_FAILURE;
}

/** `cie-app scan-l2`: "Entra con QR code" at level 2: the desktop's QR link (or typed code), who asks, then approve ("s") or refuse. */
export async function scanL2Command({ values, io, readLine, fetch }: FactorCommandInput): Promise<number> {
  required(values, 'keystore');
  const entry: AppEntry | undefined = values.qr ? { qrLink: values.qr } : values.origin && values.code ? { origin: values.origin, typedCode: values.code } : undefined;
  if (!entry) throw new UsageError('give --qr, or --origin with --code');
  // The origin comes from the link (or the address typed), before the key is even unlocked.
  const { origin, body } = l2EntryOf(entry);
  const store = await DeviceKeyStore.openFile(values.keystore!);
  io.err('Codice di sicurezza dell\'app:');
  const device = await store.unlock(origin, (await readLine()) ?? '');
  const approval = await openQrApproval(device, body, fetch);
  io.err(describe(approval));
  io.err('Approvi? (s/n)');
  const approve = ['s', 'si', 'sì', 'y', 'yes'].includes(((await readLine()) ?? '').trim().toLowerCase());
  const state = await decideApproval(device, approval.approval, approve ? { approve: true, userVerification: 'pin' } : { approve: false }, fetch);
  io.out(state === 'approved' ? 'Accesso approvato.' : 'Accesso rifiutato.');
  return state === 'approved' ? EXIT_OK : EXIT_FAILURE;
}
