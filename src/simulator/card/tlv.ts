import { concatBytes } from './bytes.js';

/**
 * BER-TLV as used by ISO 7816 data objects (multi-byte application tags such as 7F49 or BFA101).
 * Hand-written: the ASN.1 libraries model DER schemas, not the card's free-form DO lists.
 */
export interface Tlv {
  /** Tag bytes read as one big-endian number, e.g. 0x7f49. */
  readonly tag: number;
  readonly value: Uint8Array;
  /** The complete encoding (tag ‖ length ‖ value), as MACed under secure messaging. */
  readonly raw: Uint8Array;
}

function encodeTag(tag: number): Uint8Array {
  const bytes: number[] = [];
  let rest = tag;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Uint8Array.from(bytes);
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  return Uint8Array.of(0x82, length >> 8, length & 0xff);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(encodeTag(tag), encodeLength(value.length), value);
}

/** Parses a sequence of TLVs that must fill `bytes` exactly; undefined when malformed. */
export function parseTlvs(bytes: Uint8Array): Tlv[] | undefined {
  const result: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    let tag = bytes[offset++]!;
    if ((tag & 0x1f) === 0x1f) {
      let next: number;
      do {
        if (offset >= bytes.length) return undefined;
        next = bytes[offset++]!;
        tag = tag * 256 + next;
      } while ((next & 0x80) !== 0);
    }
    if (offset >= bytes.length) return undefined;
    let length = bytes[offset++]!;
    if (length === 0x81 || length === 0x82) {
      const count = length - 0x80;
      if (offset + count > bytes.length) return undefined;
      length = count === 1 ? bytes[offset]! : (bytes[offset]! << 8) | bytes[offset + 1]!;
      offset += count;
    } else if (length > 0x80) {
      return undefined;
    }
    if (offset + length > bytes.length) return undefined;
    result.push({ tag, value: bytes.subarray(offset, offset + length), raw: bytes.subarray(start, offset + length) });
    offset += length;
  }
  return result;
}

/** Value of the first TLV with `tag`, or undefined. */
export function findTlv(tlvs: readonly Tlv[], tag: number): Uint8Array | undefined {
  return tlvs.find((tlv) => tlv.tag === tag)?.value;
}
