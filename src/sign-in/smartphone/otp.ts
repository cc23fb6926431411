import { randomInt } from 'node:crypto';
import { digestOf, sameDigest } from '../random-handles.js';

/** A one-time code of `digits` decimal digits, uniformly drawn (leading zeros kept). */
export function generateOtp(digits: number): string {
  return String(randomInt(10 ** digits)).padStart(digits, '0');
}

/** The stored form of an OTP: bound to its session, so a code is worthless for any other session. */
export function otpDigest(sessionId: string, otp: string): string {
  return digestOf('otp', sessionId, otp);
}

/** Constant-time check of a typed code against the stored digest; anything but exactly `digits` digits never matches. */
export function otpMatches(stored: string, sessionId: string, typed: unknown, digits: number): boolean {
  const wellFormed = typeof typed === 'string' && new RegExp(`^[0-9]{${digits}}$`).test(typed);
  // The digest is computed even for malformed input, so the answer's timing says nothing about the code.
  const candidate = otpDigest(sessionId, wellFormed ? typed : '-'.repeat(digits));
  return sameDigest(stored, candidate) && wellFormed;
}
