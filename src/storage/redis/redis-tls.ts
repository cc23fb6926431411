import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import { CodedError } from '../../shared/coded-error.js';

/** PEM files that decide whom a TLS connection to Redis trusts and how the client proves itself. */
export interface RedisTlsFiles {
  /** CA certificate(s) the servers' certificates must chain to. Unset or empty: Node's public CA list. */
  caFile?: string;
  /** Client certificate for servers that require mutual TLS (`tls-auth-clients yes`); needs keyFile. */
  certFile?: string;
  keyFile?: string;
}

export class RedisTlsError extends CodedError<'invalid_redis_tls'> {
  constructor(reason: string, options?: ErrorOptions) {
    super('invalid_redis_tls', `invalid Redis TLS settings: ${reason}`, {}, options);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

export function hasTlsFiles(files: RedisTlsFiles): boolean {
  return Boolean(files.caFile || files.certFile || files.keyFile);
}

async function readPem(what: string, path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new RedisTlsError(`cannot read the ${what} file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function checkCaBundle(path: string, pem: string): void {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  // Node silently ignores a CA bundle without certificates, which would only show up as refused handshakes.
  if (blocks.length === 0) throw new RedisTlsError(`the CA file ${path} holds no PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new RedisTlsError(`the CA file ${path} holds a certificate that cannot be parsed`, { cause: error });
    }
  }
}

/**
 * Reads the PEM files into `tls.connect` options and checks them now, so a bad setting fails at
 * start-up instead of as a refused handshake later. No files: `{}` (Node's public CAs, no client certificate).
 */
export async function loadTlsOptions(files: RedisTlsFiles): Promise<ConnectionOptions> {
  if (Boolean(files.certFile) !== Boolean(files.keyFile)) {
    throw new RedisTlsError('the client certificate file and the client key file go together');
  }
  const [ca, cert, key] = await Promise.all([
    readPem('CA', files.caFile),
    readPem('client certificate', files.certFile),
    readPem('client key', files.keyFile),
  ]);
  if (ca !== undefined) checkCaBundle(files.caFile!, ca);
  const options: ConnectionOptions = { ...(ca !== undefined && { ca }), ...(cert !== undefined && { cert, key }) };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new RedisTlsError(`the client certificate or key is not usable: ${(error as Error).message}`, { cause: error });
  }
  return options;
}
