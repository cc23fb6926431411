/**
 * The one place @peculiar/x509 is loaded. Its dependency tsyringe needs the Reflect metadata API
 * (`reflect-metadata`) before it loads; a static import order does not guarantee that under every
 * loader (jest links CommonJS dependencies of static imports first), so x509 is imported
 * dynamically after the polyfill. Also binds x509 and pkijs to node's WebCrypto once.
 * Use `import type … from '@peculiar/x509'` for types and this module's `x509` for values.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import * as pkijs from 'pkijs';

const nodeCrypto = webcrypto as unknown as Crypto;

export const x509: typeof X509 = await import('@peculiar/x509');
export type { X509 };

x509.cryptoProvider.set(nodeCrypto);
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: nodeCrypto }));
