import type { X509Certificate } from '@peculiar/x509';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../shared/coded-error.js';
import { x509 } from '../shared/x509.js';

export class TrustConfigError extends CodedError<'invalid_trust_config'> {}

function certificatesIn(content: Buffer, path: string): X509Certificate[] {
  const text = content.toString('latin1');
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
      return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new x509.X509Certificate(m[0]));
    }
    return [new x509.X509Certificate(new Uint8Array(content))];
  } catch (error) {
    throw new TrustConfigError('invalid_trust_config', `${path} is not a PEM or DER certificate`, {}, { cause: error });
  }
}

/**
 * Loads CA certificates from files and directories (PEM bundles or DER). A configured path that
 * holds no certificate is an error: silently trusting nothing would fail every login instead.
 */
export async function loadCertificates(paths: string[]): Promise<X509Certificate[]> {
  const result: X509Certificate[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new TrustConfigError('invalid_trust_config', `trust file or directory not found: ${path}`);
    }
    const files = info.isDirectory()
      ? (await readdir(path)).filter((name) => /\.(pem|crt|cer|der)$/i.test(name)).sort().map((name) => join(path, name))
      : [path];
    const found = (await Promise.all(files.map(async (file) => certificatesIn(await readFile(file), file)))).flat();
    if (found.length === 0) throw new TrustConfigError('invalid_trust_config', `no certificate in ${path}`);
    result.push(...found);
  }
  return result;
}
