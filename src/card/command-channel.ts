import type { CommandApdu, ResponseApdu } from './apdu.js';
import { correctLe } from './status-word.js';

/** Sends a plain-form command and returns the effective response, whether or not secure messaging is on. */
export interface CommandChannel {
  send(command: CommandApdu): Promise<ResponseApdu>;
}

/** `6Cxx` (wrong Le): send the same command once more with Le = xx. */
export async function sendWithLeCorrection(
  sendOnce: (command: CommandApdu) => Promise<ResponseApdu>,
  command: CommandApdu,
): Promise<ResponseApdu> {
  const response = await sendOnce(command);
  const le = correctLe(response.sw);
  return le === undefined ? response : sendOnce({ ...command, le });
}
