import { concatBytes } from './bytes.js';
import { CardError } from './card-error.js';

/**
 * Minimal BER-TLV: multi-byte tags (e.g. 7F21, BFA101) kept as one number, lengths in short, 81 and 82 form.
 * Hand-written because the card DOs are not DER-typed ASN.1 that @peculiar/asn1-schema could map to classes.
 */
export interface Tlv {
  tag: number;
  value: Uint8Array;
  /** The whole encoding (tag ‖ length ‖ value), e.g. for MAC input. */
  raw: Uint8Array;
}

function malformed(message: string): CardError {
  return new CardError('malformed_response', `BER-TLV: ${message}`);
}

function encodeTag(tag: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = tag; rest > 0 || bytes.length === 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.from(bytes);
}

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  throw new RangeError('TLV value longer than 65535 bytes');
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(encodeTag(tag), encodeLength(value.length), value);
}

interface Header {
  tag: number;
  headerLength: number;
  valueLength: number;
}

/** Parses tag and length at `offset` without requiring the value to be present. */
export function parseTlvHeader(bytes: Uint8Array, offset = 0): Header {
  let position = offset;
  const next = (): number => {
    if (position >= bytes.length) throw malformed('truncated header');
    return bytes[position++]!;
  };
  let tag = next();
  if ((tag & 0x1f) === 0x1f) {
    let byte: number;
    do {
      byte = next();
      tag = tag * 256 + byte;
      if (position - offset > 3) throw malformed('tag longer than 3 bytes');
    } while (byte & 0x80);
  }
  const first = next();
  let valueLength: number;
  if (first < 0x80) valueLength = first;
  else if (first === 0x81) valueLength = next();
  else if (first === 0x82) valueLength = next() * 256 + next();
  else throw malformed(`unsupported length byte ${first.toString(16)}`);
  return { tag, headerLength: position - offset, valueLength };
}

export function parseTlvs(bytes: Uint8Array): Tlv[] {
  const tlvs: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { tag, headerLength, valueLength } = parseTlvHeader(bytes, offset);
    const end = offset + headerLength + valueLength;
    if (end > bytes.length) throw malformed(`value of tag ${tag.toString(16)} is truncated`);
    tlvs.push({ tag, value: bytes.slice(offset + headerLength, end), raw: bytes.slice(offset, end) });
    offset = end;
  }
  return tlvs;
}

/** Follows a path of nested tags and returns the innermost value; throws malformed_response when absent. */
export function findValue(bytes: Uint8Array, ...path: number[]): Uint8Array {
  let current = bytes;
  for (const tag of path) {
    const found = parseTlvs(current).find((tlv) => tlv.tag === tag);
    if (!found) throw malformed(`tag ${tag.toString(16).toUpperCase()} not found`);
    current = found.value;
  }
  return current;
}

/** Total size (header + value) of the TLV starting at the first byte, e.g. a DER certificate in a zero-padded EF. */
export function tlvTotalLength(prefix: Uint8Array): number {
  const { headerLength, valueLength } = parseTlvHeader(prefix);
  return headerLength + valueLength;
}
