import { timingSafeEqual } from 'node:crypto';
import { statusOnly, type CardResponse, type CommandApdu } from './apdu.js';
import { PIN_TRIES, PUK_TRIES, type CardMutableState } from './card-data.js';
import type { CardSession } from './card-session.js';
import { SW, triesLeft } from './status-words.js';

/** VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER for PIN (ref 81) and PUK (ref 82), protocol §3. */
export interface PinContext {
  readonly state: CardMutableState;
  readonly session: CardSession;
  /** Called after every change of PIN, PUK, counters or the blocked flag. */
  readonly persist: () => void;
}

const PIN_REF = 0x81;
const PUK_REF = 0x82;
const CODE_LENGTH = 8;

function isEightDigits(bytes: Uint8Array): boolean {
  return bytes.length === CODE_LENGTH && bytes.every((byte) => byte >= 0x30 && byte <= 0x39);
}

function matches(secret: string, candidate: Uint8Array): boolean {
  const expected = Buffer.from(secret, 'ascii');
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}

/** Compares with the PIN and counts the try: 3 wrong answers `63C2`, `63C1`, `63C0`; a correct one restores 3 tries. */
function checkPin(ctx: PinContext, candidate: Uint8Array): CardResponse {
  const { state, session } = ctx;
  if (state.pinTriesLeft === 0) return statusOnly(SW.AUTH_METHOD_BLOCKED);
  if (matches(state.pin, candidate)) {
    session.pinVerified = true;
    if (state.pinTriesLeft !== PIN_TRIES) {
      state.pinTriesLeft = PIN_TRIES;
      ctx.persist();
    }
    return statusOnly(SW.OK);
  }
  session.pinVerified = false;
  state.pinTriesLeft -= 1;
  ctx.persist();
  return statusOnly(triesLeft(state.pinTriesLeft));
}

/** Same for the PUK (10 tries); the last wrong PUK blocks the digital identity for good. */
function checkPuk(ctx: PinContext, candidate: Uint8Array): CardResponse {
  const { state, session } = ctx;
  if (state.pukTriesLeft === 0) return statusOnly(SW.AUTH_METHOD_BLOCKED);
  if (matches(state.puk, candidate)) {
    session.pukVerified = true;
    if (state.pukTriesLeft !== PUK_TRIES) {
      state.pukTriesLeft = PUK_TRIES;
      ctx.persist();
    }
    return statusOnly(SW.OK);
  }
  session.pukVerified = false;
  state.pukTriesLeft -= 1;
  if (state.pukTriesLeft === 0) {
    state.identityBlocked = true;
    session.pinVerified = false;
  }
  ctx.persist();
  return statusOnly(triesLeft(state.pukTriesLeft));
}

/** Empty VERIFY reports the state without spending a try (ISO 7816-4; what the CIE does is [unverified]). */
function reportTries(verified: boolean, left: number): CardResponse {
  return statusOnly(verified ? SW.OK : triesLeft(left));
}

export function verify(ctx: PinContext, apdu: CommandApdu): CardResponse {
  if (apdu.p1 !== 0x00) return statusOnly(SW.WRONG_P1P2);
  if (apdu.p2 !== PIN_REF && apdu.p2 !== PUK_REF) return statusOnly(SW.REFERENCE_NOT_FOUND);
  if (ctx.state.identityBlocked) return statusOnly(SW.AUTH_METHOD_BLOCKED);
  if (apdu.p2 === PIN_REF) {
    if (apdu.data.length === 0) {
      return ctx.state.pinTriesLeft === 0 ? statusOnly(SW.AUTH_METHOD_BLOCKED) : reportTries(ctx.session.pinVerified, ctx.state.pinTriesLeft);
    }
    if (apdu.data.length !== CODE_LENGTH) return statusOnly(SW.WRONG_LENGTH);
    return checkPin(ctx, apdu.data);
  }
  if (apdu.data.length === 0) return reportTries(ctx.session.pukVerified, ctx.state.pukTriesLeft);
  if (apdu.data.length !== CODE_LENGTH) return statusOnly(SW.WRONG_LENGTH);
  return checkPuk(ctx, apdu.data);
}

/** CHANGE REFERENCE DATA `00 24 00 81`, data old PIN ‖ new PIN. */
export function changePin(ctx: PinContext, apdu: CommandApdu): CardResponse {
  if (apdu.p1 !== 0x00) return statusOnly(SW.WRONG_P1P2);
  if (apdu.p2 !== PIN_REF) return statusOnly(SW.REFERENCE_NOT_FOUND);
  if (ctx.state.identityBlocked) return statusOnly(SW.AUTH_METHOD_BLOCKED);
  if (apdu.data.length !== 2 * CODE_LENGTH) return statusOnly(SW.WRONG_LENGTH);
  const newPin = apdu.data.subarray(CODE_LENGTH);
  if (!isEightDigits(newPin)) return statusOnly(SW.WRONG_DATA);
  const check = checkPin(ctx, apdu.data.subarray(0, CODE_LENGTH));
  if (check.sw !== SW.OK) return check;
  ctx.state.pin = Buffer.from(newPin).toString('ascii');
  ctx.persist();
  return check;
}

/** RESET RETRY COUNTER after a verified PUK: `2C 02 81` + new PIN, or `2C 03 81` (counter only). */
export function resetPinRetryCounter(ctx: PinContext, apdu: CommandApdu): CardResponse {
  if (apdu.p2 !== PIN_REF) return statusOnly(SW.REFERENCE_NOT_FOUND);
  if (apdu.p1 !== 0x02 && apdu.p1 !== 0x03) return statusOnly(SW.WRONG_P1P2);
  if (ctx.state.identityBlocked) return statusOnly(SW.AUTH_METHOD_BLOCKED);
  if (!ctx.session.pukVerified) return statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
  if (apdu.p1 === 0x02) {
    if (!isEightDigits(apdu.data)) return statusOnly(apdu.data.length === CODE_LENGTH ? SW.WRONG_DATA : SW.WRONG_LENGTH);
    ctx.state.pin = Buffer.from(apdu.data).toString('ascii');
  } else if (apdu.data.length !== 0) {
    return statusOnly(SW.WRONG_LENGTH);
  }
  ctx.state.pinTriesLeft = PIN_TRIES;
  ctx.persist();
  return statusOnly(SW.OK);
}
