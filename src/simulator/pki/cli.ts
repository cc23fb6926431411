import { parseArgs } from 'node:util';
import { EXIT_OK, runCommand, UsageError, type CliIo } from '../command-line.js';
import { initTestPki } from './init-test-pki.js';
import { PkiError } from './pki-error.js';
import { PKI_FILES } from './pki-files.js';
import { startPkiServer } from './pki-server.js';
import type { RevocationReason } from './pki-state.js';
import { loadTestPki } from './test-pki.js';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../command-line.js';

export const USAGE = `Usage: cie-pki <command> [options]

  init --dir <dir> [--base-url <url>]              create a test PKI: root CA, issuing CA, OCSP responder, CRLs
                                                   (--base-url goes into AIA/CRL DP; default http://127.0.0.1:8980)
  revoke <serial> --dir <dir> [--reason <reason>]  revoke for good; reason: unspecified (default), keyCompromise,
                                                   cessationOfOperation, superseded, affiliationChanged
  suspend <serial> --dir <dir>                     put a certificate on hold (certificateHold)
  unsuspend <serial> --dir <dir>                   lift the hold: the certificate is good again
  status <serial> --dir <dir>                      print good, revoked, suspended or unknown
  serve --dir <dir> [--port <port>]                serve OCSP, CRLs and CA certificates on 127.0.0.1 (default port 8980)

<serial> is the certificate serial number in hex (colons and upper case accepted).
Exit codes: 0 success, 1 failure, 2 usage error.`;

const REASONS: readonly RevocationReason[] = ['unspecified', 'keyCompromise', 'cessationOfOperation', 'superseded', 'affiliationChanged'];

/** Runs one cie-pki command and returns its exit code; never throws. */
export function runPkiCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand('cie-pki', USAGE, PkiError, () => run(argv, io), io);
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'base-url': { type: 'string' },
      reason: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...operands] = positionals;
  if (values.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (!command) throw new UsageError('missing command');
  const allowed: Record<string, readonly string[]> = {
    init: ['dir', 'base-url'],
    revoke: ['dir', 'reason'],
    suspend: ['dir'],
    unsuspend: ['dir'],
    status: ['dir'],
    serve: ['dir', 'port'],
  };
  const allowedOptions = allowed[command];
  if (!allowedOptions) throw new UsageError(`unknown command "${command}"`);
  for (const option of Object.keys(values)) {
    if (!allowedOptions.includes(option)) throw new UsageError(`option --${option} does not apply to "${command}"`);
  }
  const dir = values.dir;
  if (!dir) throw new UsageError(`"${command}" needs --dir <dir>`);
  const takesSerial = ['revoke', 'suspend', 'unsuspend', 'status'].includes(command);
  if (operands.length !== (takesSerial ? 1 : 0)) {
    throw new UsageError(takesSerial ? `"${command}" needs exactly one <serial>` : `"${command}" takes no operands`);
  }
  const serial = operands[0] ?? '';

  switch (command) {
    case 'init': {
      const pki = await initTestPki(dir, { baseUrl: values['base-url'] });
      io.out(`Created a test PKI in ${dir}`);
      io.out(`  root CA:        ${pki.rootCertificate.subject} (${PKI_FILES.rootCertificate})`);
      io.out(`  issuing CA:     ${pki.issuingCaCertificate.subject} (${PKI_FILES.issuingCertificate})`);
      io.out(`  OCSP responder: ${pki.ocspResponderCertificate.subject} (${PKI_FILES.ocspResponderCertificate})`);
      return EXIT_OK;
    }
    case 'revoke': {
      const reason = values.reason ?? 'unspecified';
      if (!(REASONS as readonly string[]).includes(reason)) throw new UsageError(`unknown reason "${reason}"`);
      await (await loadTestPki(dir)).revoke(serial, reason as RevocationReason);
      io.out(`Revoked ${serial} (${reason})`);
      return EXIT_OK;
    }
    case 'suspend':
      await (await loadTestPki(dir)).suspend(serial);
      io.out(`Suspended ${serial}`);
      return EXIT_OK;
    case 'unsuspend':
      await (await loadTestPki(dir)).unsuspend(serial);
      io.out(`Lifted the suspension of ${serial}`);
      return EXIT_OK;
    case 'status':
      io.out((await loadTestPki(dir)).statusOf(serial));
      return EXIT_OK;
    default:
      return serve(dir, values.port, io);
  }
}

async function serve(dir: string, portText: string | undefined, io: CliIo): Promise<number> {
  const port = portText === undefined ? 8980 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`invalid port "${portText}"`);
  const server = await startPkiServer(await loadTestPki(dir), { port });
  io.out(`Serving the test PKI in ${dir} at ${server.url} (OCSP ${server.url}/ocsp); stop with Ctrl-C`);
  await io.waitForShutdown();
  await server.close();
  return EXIT_OK;
}
