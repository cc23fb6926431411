import { type CommandApdu, type ResponseApdu, encodeCommandApdu } from './apdu.js';
import type { ApduLink } from './apdu-link.js';
import { splitBytes } from './bytes.js';
import { type CommandChannel, sendWithLeCorrection } from './command-channel.js';
import { SW } from './status-word.js';

/** Plain commands carry at most 255 data bytes; longer data goes in chained APDUs (CLA `10` on all but the last). */
const PLAIN_BLOCK_SIZE = 255;
const CLA_CHAINING = 0x10;

export class PlainChannel implements CommandChannel {
  constructor(private readonly link: ApduLink) {}

  send(command: CommandApdu): Promise<ResponseApdu> {
    return sendWithLeCorrection((c) => this.sendChained(c), command);
  }

  private async sendChained(command: CommandApdu): Promise<ResponseApdu> {
    const blocks = splitBytes(command.data ?? new Uint8Array(0), PLAIN_BLOCK_SIZE);
    for (const block of blocks.slice(0, -1)) {
      const response = await this.link.exchange(
        encodeCommandApdu({ ...command, cla: command.cla | CLA_CHAINING, data: block, le: undefined }),
      );
      if (response.sw !== SW.success) return response;
    }
    return this.link.exchange(encodeCommandApdu({ ...command, data: blocks[blocks.length - 1]! }));
  }
}
