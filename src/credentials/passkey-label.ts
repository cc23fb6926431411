/** A passkey's name is shown on the account page (escaped there) and nowhere else. */
export const MAX_PASSKEY_LABEL_LENGTH = 64;

/**
 * The name a citizen typed for a passkey: NFC, trimmed, 1–64 printable code points (no control,
 * format, private-use or unassigned characters: nothing invisible or direction-flipping in the
 * list). Undefined when it is not acceptable.
 */
export function passkeyLabel(input: string): string | undefined {
  const label = input.normalize('NFC').trim();
  const length = [...label].length;
  if (length < 1 || length > MAX_PASSKEY_LABEL_LENGTH) return undefined;
  return /\p{C}/u.test(label) ? undefined : label;
}
