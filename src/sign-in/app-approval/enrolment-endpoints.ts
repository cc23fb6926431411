import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { canonicalDeviceJwk, deviceName } from '../../credentials/app-device-key.js';
import { AppFactorError } from '../../credentials/app-factor-error.js';
import { AssertionError } from '../../cie/verify/assertion-error.js';
import { readJsonObject } from '../json-body.js';
import type { AppApprovalDeps } from './app-approval-deps.js';
import { AppCallError } from './app-json.js';
import { verifyEnrolmentProof } from './enrolment-proof.js';

/** An enrolment lives as long as its card challenge (5 minutes): the citizen reads the card in between. */
const ENROLMENT_ID = /^[A-Za-z0-9_-]{32}$/;
const enrolmentKey = (id: string) => `app-enrolment:${id}`;
/** The binding the enrolment's card challenge carries: the verifier hands it back, and it must be this one. */
export const enrolmentBinding = (id: string) => `app-enrolment:${id}`;

interface EnrolmentRecord {
  challenge: string;
  expiresAt: number;
}

/** POST /app/devices/enrolments: a card challenge for the provider's origin, bound to a new enrolment. */
export async function openEnrolment(deps: AppApprovalDeps, ctx: Context): Promise<void> {
  await readJsonObject(ctx);
  const id = randomBytes(24).toString('base64url');
  const challenge = await deps.challenges.issue(enrolmentBinding(id), deps.origin);
  const ttl = Math.max(1, Math.ceil((challenge.expiresAt - Date.now()) / 1000));
  await deps.store.putIfAbsent(enrolmentKey(id), { challenge: challenge.challenge, expiresAt: challenge.expiresAt } satisfies EnrolmentRecord, ttl);
  ctx.status = 201;
  ctx.body = { enrolment: id, challenge: challenge.challenge, origin: deps.origin, expires_at: challenge.expiresAt };
}

/**
 * POST /app/devices/enrolments/:id: the card's assertion through the whole verifier chain (the
 * challenge taken once, bound to this enrolment), then the new key's proof; only then is the device
 * stored, for the citizen the card named. The enrolment is single use: taken before any check.
 */
export async function completeEnrolment(deps: AppApprovalDeps, ctx: Context): Promise<void> {
  const id = String(ctx.params.id);
  const body = await readJsonObject(ctx);
  const enrolment = ENROLMENT_ID.test(id) ? await deps.store.take<EnrolmentRecord>(enrolmentKey(id)) : undefined;
  if (!enrolment || Date.now() > enrolment.expiresAt) throw new AppFactorError('app_enrolment_unknown', 'no live enrolment with this id');
  const device = (body.device ?? {}) as Record<string, unknown>;
  // Shape first (cheap, writes nothing): a malformed key or name is refused before the card's challenge is spent.
  const publicJwk = canonicalDeviceJwk(device.public_jwk);
  const name = deviceName(device.name);
  const assertion = typeof body.assertion === 'string' ? body.assertion : typeof body.assertion === 'object' && body.assertion !== null ? JSON.stringify(body.assertion) : undefined;
  if (!assertion || assertion.length > 16 * 1024) throw new AppCallError('malformed_request');
  let verified;
  try {
    verified = await deps.verify(assertion, enrolmentBinding(id));
  } catch (error) {
    // The verifier's own reason is in its audit event; the app is told only that the card's signature was refused.
    if (error instanceof AssertionError) throw new AppCallError('assertion_refused');
    throw error;
  }
  await verifyEnrolmentProof(body.proof, { publicJwk, enrolment: id, challenge: enrolment.challenge, origin: deps.origin, now: Date.now() });
  const stored = await deps.devices.add({ identity: { fiscalCode: verified.fiscalCode, claims: verified.claims }, publicJwk, name });
  ctx.status = 201;
  ctx.body = {
    device_id: stored.deviceId,
    citizen: { given_name: String(verified.claims.given_name ?? ''), family_name: String(verified.claims.family_name ?? '') },
    default: stored.isDefault,
  };
}
