/** ISO 7816-4 status words the virtual card answers with (which ones a real CIE uses is partly [unverified]). */
export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  VERIFICATION_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  LAST_COMMAND_OF_CHAIN_EXPECTED: 0x6883,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  WRONG_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN_ERROR: 0x6f00,
} as const;

/** `63Cx`: verification failed, x tries left. */
export function triesLeft(count: number): number {
  return 0x63c0 | count;
}

/** `61xx`: xx more bytes available (00 = 256 or more). */
export function moreData(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : remaining);
}

/** `6Cxx`: wrong Le, xx bytes available. */
export function wrongLe(available: number): number {
  return 0x6c00 | (available >= 256 ? 0 : available);
}
