import { constants, createHash, createPublicKey, publicDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { concatBytes, fromHex, leftPad, toHex } from '../../../src/simulator/card/bytes.js';
import type { DeviceAuthKeys } from '../../../src/simulator/card/device-auth-keys.js';
import { deriveSessionKeys } from '../../../src/simulator/card/session-keys.js';
import { encodeTlv, findTlv, parseTlvs } from '../../../src/simulator/card/tlv.js';
import type { VirtualCardPort } from '../../../src/simulator/virtual-card-port.js';
import { exchange } from './exchange.js';
import { SmHost } from './test-host.js';

/** Test-only host that runs the whole protocol (§2.1) with fresh randomness and the device-auth key file. */

const toBig = (bytes: Uint8Array): bigint => BigInt(`0x${toHex(bytes) || '0'}`);
const toBytes = (value: bigint, length: number): Uint8Array => leftPad(fromHex(value.toString(16).padStart(2 * Math.ceil(value.toString(16).length / 2), '0')), length);
const sha256 = (...parts: Uint8Array[]): Uint8Array => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function plainData(card: VirtualCardPort, apdu: string): Uint8Array {
  const answer = exchange(card, apdu);
  if (!answer.endsWith('9000')) throw new Error(`${apdu} answered ${answer.slice(-4)}`);
  return fromHex(answer.slice(0, -4));
}

/** The middleware's READ BINARY loop: 128-byte chunks until `6282` (short last chunk) or `6B00`. */
function readCurrentFile(card: VirtualCardPort): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; ; offset += 128) {
    const answer = exchange(card, `00B0${offset.toString(16).padStart(4, '0')}80`);
    if (answer === '6B00') break;
    chunks.push(fromHex(answer.slice(0, -4)));
    if (answer.endsWith('6282')) break;
  }
  return concatBytes(...chunks);
}

function iso9796(d: Uint8Array, n: Uint8Array, m1: Uint8Array, hash: Uint8Array): Uint8Array {
  const representative = concatBytes(Uint8Array.of(0x6a), m1, hash, Uint8Array.of(0xbc));
  return toBytes(modPow(toBig(representative), toBig(d), toBig(n)), n.length);
}

export interface EstablishedSession {
  readonly host: SmHost;
  readonly chipKey: KeyObject;
}

export function runDhAndDapp(card: VirtualCardPort, keys: DeviceAuthKeys): EstablishedSession {
  plainData(card, '00A4040C0DA0000000308000000009816001');
  plainData(card, '00A4040C06A00000000039');
  const value = (apdu: string, tag: number): Uint8Array => {
    const inner = (bytes: Uint8Array, path: number[]): Uint8Array => (path.length === 0 ? bytes : inner(findTlv(parseTlvs(bytes)!, path[0]!)!, path.slice(1)));
    return inner(plainData(card, apdu), [0x70, 0xbfa101, 0xa3, tag]);
  };
  const g = value('00CB3FFF0C4D0A7008BFA10104A3029700', 0x97);
  const p = value('00CB3FFF0C4D0A7008BFA10104A3029800', 0x98);
  const q = value('00CB3FFF0C4D0A7008BFA10104A3029900', 0x99);
  plainData(card, '00A4020C021004');
  const chipKey = createPublicKey({ key: Buffer.from(readCurrentFile(card)), format: 'der', type: 'pkcs1' });

  const x = toBig(randomBytes(q.length)) % (toBig(q) - 1n) + 1n;
  const yIfd = toBytes(modPow(toBig(g), x, toBig(p)), p.length);
  const kat = concatBytes(fromHex('80019B830181'), encodeTlv(0x91, yIfd));
  plainData(card, `102241A6FF${toHex(kat.subarray(0, 255))}`);
  plainData(card, `002241A6${toHex(Uint8Array.of(kat.length - 255))}${toHex(kat.subarray(255))}`);
  const yIcc = findTlv(parseTlvs(findTlv(parseTlvs(plainData(card, '00CB3FFF064D04A6029100'))!, 0xa6)!)!, 0x91)!;
  const z = toBytes(modPow(toBig(yIcc), x, toBig(p)), p.length);
  const sessionKeys = deriveSessionKeys(z);
  const host = new SmHost(card, sessionKeys.kEnc, sessionKeys.kMac, fromHex('0000000000000001'));

  const car = keys.ca.chr.subarray(4);
  const snIfd = fromHex('2000000000000001');
  const chr = concatBytes(new Uint8Array(4), snIfd);
  const body = concatBytes(
    Uint8Array.of(0x8a),
    car,
    chr,
    keys.ca.cha.subarray(0, 6),
    Uint8Array.of(0x01),
    fromHex('2A8122F42A02040104'),
    keys.terminal.n,
    fromHex('00010001'),
  );
  const m1Length = keys.ca.n.length - 34;
  const certificate = encodeTlv(
    0x7f21,
    concatBytes(
      encodeTlv(0x5f37, iso9796(keys.ca.d, keys.ca.n, body.subarray(0, m1Length), sha256(body))),
      encodeTlv(0x5f38, body.subarray(m1Length)),
      encodeTlv(0x42, car),
    ),
  );
  const expectOk = (sw: number, what: string): void => {
    if (sw !== 0x9000) throw new Error(`${what} answered ${sw.toString(16)}`);
  };
  expectOk(host.send('002281B60680014183018400').sw, 'MSE SET DST');
  expectOk(host.sendChained(0x2a, 0x00, 0xae, certificate).sw, 'PSO VERIFY CERTIFICATE');
  expectOk(host.send(`002281A40E830C${toHex(chr)}`).sw, 'MSE SET AT CHR');
  const challenge = host.send('0084000008');
  expectOk(challenge.sw, 'GET CHALLENGE');
  const rndIcc = challenge.data;
  const prnd = randomBytes(keys.terminal.n.length - 34);
  const extHash = sha256(prnd, yIfd, snIfd, rndIcc, yIcc, g, p, q);
  const extSignature = iso9796(keys.terminal.d, keys.terminal.n, prnd, extHash);
  expectOk(host.sendChained(0x82, 0x00, 0x00, concatBytes(snIfd, extSignature)).sw, 'EXTERNAL AUTHENTICATE');
  expectOk(host.send('002241A40684018280019B').sw, 'MSE SET AT 82');
  const rndIfd = randomBytes(8);
  const chip = host.send(`0088000008${toHex(rndIfd)}`);
  expectOk(chip.sw, 'INTERNAL AUTHENTICATE');
  const snIcc = chip.data.subarray(0, 8);
  const representative = publicDecrypt({ key: chipKey, padding: constants.RSA_NO_PADDING }, chip.data.subarray(8));
  const prnd2 = representative.subarray(1, representative.length - 33);
  const intHash = sha256(prnd2, yIcc, snIcc, rndIfd, yIfd, g, p, q);
  if (representative[0] !== 0x6a || toHex(representative.subarray(representative.length - 33, -1)) !== toHex(intHash)) {
    throw new Error('chip authentication failed');
  }
  host.resetSsc(concatBytes(rndIcc.subarray(4, 8), rndIfd.subarray(4, 8)));
  return { host, chipKey };
}
