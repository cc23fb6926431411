import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hexToBytes } from '../../../src/card/bytes.js';

/** The shared known-answer vectors (CI clones the repo with shared/ beside it). */
export type Json = any;

export const vectors: Json = JSON.parse(
  readFileSync(path.resolve(process.cwd(), 'test/fixtures/card-vectors/cie-sm-vectors.json'), 'utf8'),
);

export const hex = hexToBytes;

export function publicVector(id: string): Json {
  const found = vectors.public_vectors.find((v: Json) => v.id === id);
  if (!found) throw new Error(`no public vector ${id}`);
  return found;
}

export function byId(group: string, id: string): Json {
  const found = vectors[group].find((v: Json) => v.id === id);
  if (!found) throw new Error(`no vector ${group}/${id}`);
  return found;
}

export const rsaKey = (name: string) => {
  const key = vectors.test_rsa_keys[name];
  return { n: hex(key.n), e: hex(key.e.length % 2 ? `0${key.e}` : key.e), d: hex(key.d) };
};
