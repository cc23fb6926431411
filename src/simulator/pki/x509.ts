/**
 * The single entry point to @peculiar/x509 for this PKI. The library is loaded with a dynamic
 * import so that the Reflect shim has certainly run first (jest links CommonJS dependencies of
 * static imports before any module body runs). Also binds x509 and pkijs to node's webcrypto once.
 * Use `X509` for types (erased) and `x509` for values.
 */
import './reflect-metadata-shim.js';
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import * as pkijs from 'pkijs';

const nodeCrypto = webcrypto as unknown as Crypto;

export const x509: typeof X509 = await import('@peculiar/x509');
export type { X509 };

x509.cryptoProvider.set(nodeCrypto);
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: nodeCrypto }));
