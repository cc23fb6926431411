import type { CardTransport } from '../transport/card-transport.js';
import { type ResponseApdu, encodeCommandApdu, parseResponseApdu } from './apdu.js';
import { concatBytes } from './bytes.js';
import { CardError } from './card-error.js';
import { bytesAvailable } from './status-word.js';

export interface ApduStats {
  apdus: number;
  bytesSent: number;
  bytesReceived: number;
}

/** Enough for 64 KiB of response data; a card that keeps answering 61xx beyond that is broken. */
const MAX_GET_RESPONSE_ROUNDS = 256;

/** The raw exchange with the transport: counts APDUs and bytes, and collects `61xx` continuations. */
export class ApduLink {
  readonly stats: ApduStats = { apdus: 0, bytesSent: 0, bytesReceived: 0 };

  constructor(private readonly transport: CardTransport) {}

  /** Sends one encoded APDU; while the card answers `61xx`, fetches the rest with GET RESPONSE `00 C0 00 00 xx`. */
  async exchange(command: Uint8Array): Promise<ResponseApdu> {
    let response = await this.transmitOnce(command);
    let data = response.data;
    for (let round = 0; ; round++) {
      const available = bytesAvailable(response.sw);
      if (available === undefined) return { data, sw: response.sw };
      if (round === MAX_GET_RESPONSE_ROUNDS) throw new CardError('malformed_response', 'endless 61xx chain');
      response = await this.transmitOnce(encodeCommandApdu({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: available }));
      data = concatBytes(data, response.data);
    }
  }

  private async transmitOnce(command: Uint8Array): Promise<ResponseApdu> {
    const answer = await this.transport.transmit(command);
    this.stats.apdus += 1;
    this.stats.bytesSent += command.length;
    this.stats.bytesReceived += answer.length;
    return parseResponseApdu(answer);
  }
}
