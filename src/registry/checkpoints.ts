import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { Sql } from '../storage/database/database.js';
import type { RegistryKeys } from './registry-keys.js';

/** `periodic`: the head at a moment; `purge`: the last purged record, the one the first kept record links to. */
export type CheckpointKind = 'periodic' | 'purge';

export interface CheckpointClaims {
  typ: 'registry-checkpoint';
  kind: CheckpointKind;
  seq: number;
  hash: string;
  iat: number;
}

export interface StoredCheckpoint {
  seq: number;
  kind: CheckpointKind;
  hash: string;
  jws: string;
}

/** Ed25519 JWS over the claims, with the signing key's kid, stored beside the chain. */
export async function writeCheckpoint(sql: Sql, keys: RegistryKeys, kind: CheckpointKind, seq: number, hash: string, now: Date): Promise<StoredCheckpoint> {
  const signer = keys.signing[0]!;
  const claims: CheckpointClaims = { typ: 'registry-checkpoint', kind, seq, hash, iat: Math.floor(now.getTime() / 1000) };
  const jws = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'registry-checkpoint+jws' }).sign(signer.privateKey);
  await sql.query('INSERT INTO registry_checkpoints (seq, kind, hash, signed_at, jws) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq, kind) DO NOTHING', [seq, kind, hash, now.toISOString(), jws]);
  return { seq, kind, hash, jws };
}

/** The claims of a checkpoint whose signature verifies with one of the registry's keys and that agrees with its row; otherwise undefined. */
export async function verifiedCheckpoint(keys: RegistryKeys, checkpoint: StoredCheckpoint): Promise<CheckpointClaims | undefined> {
  try {
    const { kid } = decodeProtectedHeader(checkpoint.jws);
    const key = keys.signing.find((candidate) => candidate.kid === kid);
    if (!key) return undefined;
    const { payload } = await compactVerify(checkpoint.jws, key.publicKey, { algorithms: ['EdDSA'] });
    const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as CheckpointClaims;
    const agrees = claims.typ === 'registry-checkpoint' && claims.kind === checkpoint.kind && claims.seq === checkpoint.seq && claims.hash === checkpoint.hash;
    return agrees ? claims : undefined;
  } catch {
    return undefined;
  }
}

export function checkpointFromRow(row: Record<string, unknown>): StoredCheckpoint {
  return { seq: Number(row.seq), kind: String(row.kind) as CheckpointKind, hash: String(row.hash), jws: String(row.jws) };
}
