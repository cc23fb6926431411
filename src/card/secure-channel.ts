import { type CommandApdu, type ResponseApdu, encodeCommandApdu } from './apdu.js';
import type { ApduLink } from './apdu-link.js';
import { splitBytes } from './bytes.js';
import { type CommandChannel, sendWithLeCorrection } from './command-channel.js';
import type { SessionKeys } from './crypto/kdf.js';
import { incrementSsc } from './crypto/ssc.js';
import { protectCommand, unprotectResponse } from './secure-messaging.js';
import { SW } from './status-word.js';

/** Largest plain data block per protected command (E7): the protected form then still fits a short APDU. */
const SM_BLOCK_SIZE = 231;
const CLA_CHAINING = 0x10;
/** The middleware unwraps only these outer status words; any other comes back unprotected and is returned as is. */
const PROTECTED_OUTER_SW = new Set<number>([SW.success, SW.endOfFileReached, SW.wrongOffset]);

/** A secure-messaging session: one SSC step before each command and one before each protected response. */
export class SecureChannel implements CommandChannel {
  constructor(
    private readonly link: ApduLink,
    private readonly keys: SessionKeys,
    private ssc: Uint8Array,
  ) {}

  /** Device authentication re-initialises the SSC (keys unchanged). */
  resetSsc(ssc: Uint8Array): void {
    this.ssc = ssc.slice();
  }

  send(command: CommandApdu): Promise<ResponseApdu> {
    return sendWithLeCorrection((c) => this.sendChained(c), command);
  }

  /** Data over 231 bytes: each block wrapped separately (own SSC step and MAC), Le only on the last. */
  private async sendChained(command: CommandApdu): Promise<ResponseApdu> {
    const blocks = splitBytes(command.data ?? new Uint8Array(0), SM_BLOCK_SIZE);
    for (const block of blocks.slice(0, -1)) {
      const response = await this.sendBlock({ ...command, cla: command.cla | CLA_CHAINING, data: block, le: undefined });
      if (response.sw !== SW.success) return response;
    }
    return this.sendBlock({ ...command, data: blocks[blocks.length - 1]! });
  }

  private async sendBlock(command: CommandApdu): Promise<ResponseApdu> {
    this.ssc = incrementSsc(this.ssc);
    const outer = await this.link.exchange(encodeCommandApdu(protectCommand(this.keys, this.ssc, command)));
    // [inference] An unprotected error answer leaves the card's SSC alone, so ours does not advance either.
    if (!PROTECTED_OUTER_SW.has(outer.sw)) return { data: new Uint8Array(0), sw: outer.sw };
    this.ssc = incrementSsc(this.ssc);
    return unprotectResponse(this.keys, this.ssc, outer.data);
  }
}
