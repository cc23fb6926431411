import { randomBytes } from 'node:crypto';
import type { VirtualCardPort } from '../virtual-card-port.js';
import { parseCommandApdu, statusOnly, withSw, type CardResponse, type CommandApdu } from './apdu.js';
import { atrFor } from './atr.js';
import { concatBytes } from './bytes.js';
import type { CardMutableState, CieCardData } from './card-data.js';
import { newSession, type CardSession } from './card-session.js';
import { externalAuthenticate, getChallenge, verifyTerminalCertificate } from './dapp.js';
import { readBinary, selectFile } from './file-commands.js';
import { buildFileSystem, type FileSystem } from './file-system.js';
import { internalAuthenticate } from './internal-authenticate.js';
import { getData, type RandomSource } from './key-agreement.js';
import { changePin, resetPinRetryCounter, verify, type PinContext } from './pin-commands.js';
import { manageSecurityEnvironment } from './security-environment.js';
import { moreData, SW } from './status-words.js';

export interface VirtualCieCardOptions {
  /** Source of the card's randomness (DH exponent, RND.ICC, PRND2); injectable to replay fixed traces. */
  readonly random?: RandomSource;
  /** Called with a copy of the state whenever PIN, PUK, a counter or the blocked flag changes, so it can be persisted. */
  readonly onStateChange?: (state: CardMutableState) => void;
}

/** CLA 00/10 plain (last/chained block), 0C/1C the same under secure messaging. */
const SUPPORTED_CLA = new Set([0x00, 0x10, 0x0c, 0x1c]);
const INS_GET_RESPONSE = 0xc0;
/** Upper bound for a chained command (the longest real one, the CV certificate, is ~354 bytes). */
const MAX_CHAINED_DATA = 4096;
const EMPTY = new Uint8Array(0);

interface PendingChain {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly secure: boolean;
  readonly data: Uint8Array;
}

/**
 * A software CIE 3.0 (IAS-ECC) card: plain DH, DAPP, 3DES secure messaging, PIN/PUK, signature,
 * NIS and file reading, per CIE 3.0 chip specification: the card as a whole — docs/references.md. Pure state machine; `transmit` never throws.
 */
export class VirtualCieCard implements VirtualCardPort {
  readonly atr: Uint8Array;
  private readonly card: CieCardData;
  private readonly files: FileSystem;
  private readonly random: RandomSource;
  private readonly onStateChange: ((state: CardMutableState) => void) | undefined;
  private session: CardSession = newSession();
  private pendingResponse: { rest: Uint8Array; sw: number } | undefined;
  private chain: PendingChain | undefined;

  constructor(card: CieCardData, options: VirtualCieCardOptions = {}) {
    this.card = { ...card, state: { ...card.state } };
    this.atr = atrFor(card.family);
    this.files = buildFileSystem(card);
    this.random = options.random ?? ((length) => randomBytes(length));
    this.onStateChange = options.onStateChange;
  }

  /** A copy of the persistent state (counters, PIN, PUK, blocked flag). */
  get state(): CardMutableState {
    return { ...this.card.state };
  }

  transmit(command: Uint8Array): Uint8Array {
    try {
      return this.process(command);
    } catch {
      this.clearVolatileState();
      return withSw(EMPTY, SW.UNKNOWN_ERROR);
    }
  }

  reset(): void {
    this.clearVolatileState();
  }

  powerOff(): void {
    this.clearVolatileState();
  }

  powerOn(): void {
    this.clearVolatileState();
  }

  private clearVolatileState(): void {
    this.session = newSession();
    this.pendingResponse = undefined;
    this.chain = undefined;
  }

  private process(bytes: Uint8Array): Uint8Array {
    const apdu = parseCommandApdu(bytes);
    if (!apdu) return this.answerDirect(SW.WRONG_LENGTH);
    if (!SUPPORTED_CLA.has(apdu.cla)) return this.answerDirect(SW.CLA_NOT_SUPPORTED);
    if (apdu.ins === INS_GET_RESPONSE) return this.getResponse(apdu);
    this.pendingResponse = undefined;
    if ((apdu.cla & 0x0c) === 0) return this.deliver(this.chainOrDispatch(apdu, false), apdu.ne);

    const channel = this.session.channel;
    const plain = channel?.unwrapCommand(apdu);
    if (!channel || !plain) {
      // A MAC or DO error ends the secure session and everything that depended on it.
      this.session = { ...newSession(), df: this.session.df, ef: this.session.ef };
      this.chain = undefined;
      return withSw(EMPTY, SW.SM_DATA_OBJECTS_INCORRECT);
    }
    const wrapped = channel.wrapResponse(apdu.ins, this.chainOrDispatch(plain, true));
    if (this.session.sscAfterResponse) {
      channel.resetSsc(this.session.sscAfterResponse);
      this.session.sscAfterResponse = undefined;
    }
    return this.deliver(wrapped, apdu.ne);
  }

  private answerDirect(sw: number): Uint8Array {
    this.pendingResponse = undefined;
    return withSw(EMPTY, sw);
  }

  /**
   * With an Le (case 2/4), sends at most Ne bytes and keeps the rest for GET RESPONSE (`61xx`). Without one
   * (case 3, as the middleware sends GET DATA and INTERNAL AUTHENTICATE), sends the whole answer: a host that
   * asked for no particular length and does not follow `61xx` still gets every byte (docs/virtual-card.md).
   */
  private deliver(response: CardResponse, ne: number | undefined): Uint8Array {
    if (ne === undefined || response.data.length <= ne) return withSw(response.data, response.sw);
    const rest = response.data.subarray(ne);
    this.pendingResponse = { rest, sw: response.sw };
    return withSw(response.data.subarray(0, ne), moreData(rest.length));
  }

  /** GET RESPONSE `00 C0 00 00 Le` (CLA 0C accepted too, never wrapped: the data is already protected). */
  private getResponse(apdu: CommandApdu): Uint8Array {
    const pending = this.pendingResponse;
    if (apdu.cla !== 0x00 && apdu.cla !== 0x0c) return this.answerDirect(SW.CLA_NOT_SUPPORTED);
    if (apdu.p1 !== 0 || apdu.p2 !== 0) return this.answerDirect(SW.WRONG_P1P2);
    if (!pending) return this.answerDirect(SW.CONDITIONS_NOT_SATISFIED);
    const count = Math.min(apdu.ne ?? 256, pending.rest.length);
    const chunk = pending.rest.subarray(0, count);
    const rest = pending.rest.subarray(count);
    if (rest.length === 0) {
      this.pendingResponse = undefined;
      return withSw(chunk, pending.sw);
    }
    this.pendingResponse = { rest, sw: pending.sw };
    return withSw(chunk, moreData(rest.length));
  }

  /** Command chaining (CLA bit 10): blocks are collected and the whole command runs on the last block. */
  private chainOrDispatch(apdu: CommandApdu, secure: boolean): CardResponse {
    const previous = this.chain;
    if (previous && (previous.ins !== apdu.ins || previous.p1 !== apdu.p1 || previous.p2 !== apdu.p2 || previous.secure !== secure)) {
      this.chain = undefined;
      return statusOnly(SW.LAST_COMMAND_OF_CHAIN_EXPECTED);
    }
    const data = previous ? concatBytes(previous.data, apdu.data) : apdu.data;
    if (data.length > MAX_CHAINED_DATA) {
      this.chain = undefined;
      return statusOnly(SW.WRONG_LENGTH);
    }
    if ((apdu.cla & 0x10) !== 0) {
      this.chain = { ins: apdu.ins, p1: apdu.p1, p2: apdu.p2, secure, data };
      return statusOnly(SW.OK);
    }
    this.chain = undefined;
    return this.dispatch({ ...apdu, cla: 0x00, data }, secure);
  }

  private dispatch(apdu: CommandApdu, secure: boolean): CardResponse {
    const { card, session } = this;
    switch (apdu.ins) {
      case 0xa4:
        return selectFile(this.files, session, apdu);
      case 0xb0:
        return readBinary(this.files, session, apdu, secure);
      case 0xcb:
        return getData(card, session, apdu);
      case 0x22:
        return manageSecurityEnvironment(card, session, apdu, secure, this.random);
      case 0x2a:
        if (apdu.p1 !== 0x00 || apdu.p2 !== 0xae) return statusOnly(SW.WRONG_P1P2);
        return secure ? verifyTerminalCertificate(card, session, apdu.data) : statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
      case 0x84:
        if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) return statusOnly(SW.WRONG_P1P2);
        return getChallenge(session, apdu.ne, this.random);
      case 0x82:
        if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) return statusOnly(SW.WRONG_P1P2);
        return secure ? externalAuthenticate(card, session, apdu.data) : statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
      case 0x88:
        if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) return statusOnly(SW.WRONG_P1P2);
        return internalAuthenticate(card, session, apdu.data, secure, this.random);
      case 0x20:
      case 0x24:
      case 0x2c:
        return this.pinCommand(apdu, secure);
      default:
        return statusOnly(SW.INS_NOT_SUPPORTED);
    }
  }

  /** PIN and PUK travel only under SM, after DAPP (plain VERIFY → `6982`). */
  private pinCommand(apdu: CommandApdu, secure: boolean): CardResponse {
    if (!secure || !this.session.dappComplete) return statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
    const ctx: PinContext = {
      state: this.card.state,
      session: this.session,
      persist: () => this.onStateChange?.({ ...this.card.state }),
    };
    if (apdu.ins === 0x20) return verify(ctx, apdu);
    if (apdu.ins === 0x24) return changePin(ctx, apdu);
    return resetPinRetryCounter(ctx, apdu);
  }
}
