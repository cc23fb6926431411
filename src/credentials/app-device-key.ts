import { AppFactorError } from './app-factor-error.js';

/** A device's public key as stored: an EC P-256 JWK in canonical form, nothing else (no `d`, `kid`, `use`, `x5c`…). */
export interface DevicePublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** The canonical `{kty, crv, x, y}` of what the app sent; any other member or curve is refused. */
export function canonicalDeviceJwk(value: unknown): DevicePublicJwk {
  const jwk = value as Record<string, unknown> | null;
  const refuse = (): never => {
    throw new AppFactorError('app_request_invalid', 'the device key is not an EC P-256 public JWK');
  };
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return refuse();
  if (Object.keys(jwk).sort().join(',') !== 'crv,kty,x,y') return refuse();
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || !COORDINATE.test(jwk.x) || !COORDINATE.test(jwk.y)) return refuse();
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** A device's name: 1–64 printable characters, NFC, trimmed. */
export function deviceName(value: unknown): string {
  const name = typeof value === 'string' ? value.normalize('NFC').trim() : '';
  if (name.length < 1 || [...name].length > 64 || /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name)) throw new AppFactorError('app_request_invalid', 'the device name is not 1–64 printable characters');
  return name;
}
