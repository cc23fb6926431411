import type { EncryptionAlgValues, EncryptionEncValues, SigningAlgorithm } from 'oidc-provider';

/**
 * Algorithms of the CIE profile (SPID/CIE OIDC guidelines: cryptographic algorithms — docs/references.md): exactly the TA policy's lists.
 * `none`, HS* and RSA1_5 are refused by never being listed.
 */
export const signingAlgs: SigningAlgorithm[] = ['RS256', 'RS512', 'ES256', 'ES512', 'PS256', 'PS512'];
export const keyEncryptionAlgs: EncryptionAlgValues[] = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'];
export const contentEncryptionAlgs: EncryptionEncValues[] = ['A128CBC-HS256', 'A256CBC-HS512'];
