import { randomBytes } from 'node:crypto';
import type { CardTransport } from '../transport/card-transport.js';
import { ApduLink, type ApduStats } from './apdu-link.js';
import { selectCieApplications } from './application-selection.js';
import { concatBytes, hexToBytes } from './bytes.js';
import { CardError } from './card-error.js';
import { type CardFamily, detectCardFamily } from './card-family.js';
import {
  PIN_REFERENCE,
  PUK_REFERENCE,
  changeReferenceData,
  internalAuthenticate,
  manageSecurityEnvironment,
  resetRetryCounter,
  verify,
  verifyStatus,
} from './commands.js';
import { sha256DigestInfo } from './crypto/digest-info.js';
import type { DeviceAuthKeys } from './device-auth-keys.js';
import { readDerFile } from './file-reader.js';
import { checkChallenge, type NisEvidence, readNisEvidence, readNisFile } from './nis-authentication.js';
import { type SecretKind, checkSecretStatus, encodeSecret } from './pin.js';
import { PlainChannel } from './plain-channel.js';
import type { SecureChannel } from './secure-channel.js';
import { openSecureSession } from './secure-session.js';
import { SW, requireSuccess, triesLeft } from './status-word.js';

export interface CieCardOptions {
  deviceAuthKeys: DeviceAuthKeys;
  /** Injected for deterministic tests; default crypto.randomBytes. */
  random?: (n: number) => Uint8Array;
  /** Told each step of an operation as it completes (the bridge page shows them to the citizen). */
  onStep?: (step: CardStep) => void;
}

/** Steps a citizen can follow while the card works; `card_found` is the caller's (the card answered a reset). */
export type CardStep = 'card_found' | 'secure_channel' | 'pin_checked' | 'signed';

/** Tries left as the card reports them; undefined when its answer carries no count. */
export interface TriesLeft {
  pin: number | undefined;
  puk: number | undefined;
}

export interface CieAuthentication {
  /** 256-byte RSASSA-PKCS1-v1_5 SHA-256 signature. */
  signature: Uint8Array;
  /** DER of EF 10 03, trimmed to its DER length. */
  certificate: Uint8Array;
  stats: ApduStats;
}

const CERTIFICATE_FID = Uint8Array.of(0x10, 0x03);
/** MSE SET AT for signing: algorithm 02 (card adds PKCS#1 v1.5 padding to our DigestInfo), key ref 81. */
const AT_SIGNING_KEY = hexToBytes('800102840181');

/**
 * The CIE 3.0 as the bridge sees it. Each operation starts with a warm reset and runs in ONE secure session
 * (the official middleware repeats device authentication for every signature; we do not).
 */
export class CieCard {
  readonly family: CardFamily;
  private readonly random: (n: number) => Uint8Array;

  constructor(
    private readonly transport: CardTransport,
    private readonly options: CieCardOptions,
  ) {
    this.family = detectCardFamily(transport.atr);
    this.random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
  }

  /** The 12-character NIS, plain, no PIN. */
  async readNis(): Promise<string> {
    await this.transport.reset();
    const channel = new PlainChannel(new ApduLink(this.transport));
    await selectCieApplications(channel, this.family);
    return readNisFile(channel);
  }

  /**
   * What "NIS authentication" checks, all plain and PIN-less: NIS, EF 10 05, EF.SOD and key 83's signature over
   * `challenge` (8–245 bytes, fresh for each check). Not part of a login: it proves the chip, not the holder.
   */
  async readNisEvidence(challenge: Uint8Array): Promise<NisEvidence> {
    checkChallenge(challenge);
    await this.transport.reset();
    const link = new ApduLink(this.transport);
    const channel = new PlainChannel(link);
    await selectCieApplications(channel, this.family);
    return { ...(await readNisEvidence(channel, challenge)), stats: { ...link.stats } };
  }

  /**
   * ONE secure session: reset → select → DH → DAPP → VERIFY PIN → MSE SET + INTERNAL AUTHENTICATE over
   * DigestInfo(SHA-256, sha256Digest) → read certificate. Wrong PIN → CardError('wrong_pin', {triesLeft}).
   */
  async authenticate(pin: string, sha256Digest: Uint8Array): Promise<CieAuthentication> {
    const pinBytes = encodeSecret(pin, 'pin');
    const digestInfo = sha256DigestInfo(sha256Digest);
    const { link, channel } = await this.openSession();
    await this.verifySecret(channel, PIN_REFERENCE, pinBytes, 'pin');
    this.options.onStep?.('pin_checked');
    requireSuccess(await channel.send(manageSecurityEnvironment(0x41, 0xa4, AT_SIGNING_KEY)), 'MSE SET AT (signing key)');
    const signed = await channel.send(internalAuthenticate(digestInfo));
    requireSuccess(signed, 'INTERNAL AUTHENTICATE (sign)');
    if (signed.data.length === 0) throw new CardError('malformed_response', 'the card returned an empty signature');
    this.options.onStep?.('signed');
    const certificate = await readDerFile(channel, CERTIFICATE_FID);
    return { signature: signed.data, certificate, stats: { ...link.stats } };
  }

  /** The authentication certificate (for `cie-bridge status`); the card only releases it after the PIN. */
  async readCertificate(pin: string): Promise<Uint8Array> {
    const pinBytes = encodeSecret(pin, 'pin');
    const { channel } = await this.openSession();
    await this.verifySecret(channel, PIN_REFERENCE, pinBytes, 'pin');
    return readDerFile(channel, CERTIFICATE_FID);
  }

  /** VERIFY PIN old, then CHANGE REFERENCE DATA `00 24 00 81` old ‖ new (as the middleware does). */
  async changePin(oldPin: string, newPin: string): Promise<void> {
    const oldBytes = encodeSecret(oldPin, 'pin');
    const newBytes = encodeSecret(newPin, 'pin');
    const { channel } = await this.openSession();
    await this.verifySecret(channel, PIN_REFERENCE, oldBytes, 'pin');
    const response = await channel.send(changeReferenceData(PIN_REFERENCE, concatBytes(oldBytes, newBytes)));
    checkSecretStatus(response.sw, 'pin');
  }

  /** VERIFY PUK, then RESET RETRY COUNTER `00 2C 02 81` with the new PIN. */
  async unblockPin(puk: string, newPin: string): Promise<void> {
    const pukBytes = encodeSecret(puk, 'puk');
    const newBytes = encodeSecret(newPin, 'pin');
    const { channel } = await this.openSession();
    await this.verifySecret(channel, PUK_REFERENCE, pukBytes, 'puk');
    requireSuccess(await channel.send(resetRetryCounter(0x02, PIN_REFERENCE, newBytes)), 'RESET RETRY COUNTER');
  }

  /**
   * PIN and PUK tries left, asked with an empty VERIFY (ISO 7816-4 §11.5.6), which spends no try: `63Cx` = x
   * left, `6983` = blocked (0). Whether a real CIE answers an empty VERIFY with its counter is [unverified]
   * (CIE 3.0 chip specification: PIN and PUK — docs/references.md): any other answer gives undefined, never a guess.
   */
  async readTriesLeft(): Promise<TriesLeft> {
    const { channel } = await this.openSession();
    const pin = reportedTries((await channel.send(verifyStatus(PIN_REFERENCE))).sw);
    const puk = reportedTries((await channel.send(verifyStatus(PUK_REFERENCE))).sw);
    return { pin, puk };
  }

  private async openSession(): Promise<{ link: ApduLink; channel: SecureChannel }> {
    await this.transport.reset();
    const link = new ApduLink(this.transport);
    const channel = await openSecureSession(link, {
      family: this.family,
      keys: this.options.deviceAuthKeys,
      random: this.random,
    });
    this.options.onStep?.('secure_channel');
    return { link, channel };
  }

  private async verifySecret(channel: SecureChannel, reference: number, secret: Uint8Array, kind: SecretKind) {
    checkSecretStatus((await channel.send(verify(reference, secret))).sw, kind);
  }
}

function reportedTries(sw: number): number | undefined {
  return sw === SW.authenticationBlocked ? 0 : triesLeft(sw);
}
