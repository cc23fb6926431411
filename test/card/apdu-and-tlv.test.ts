import { encodeCommandApdu, parseResponseApdu } from '../../src/card/apdu.js';
import { encodeTlv, findValue, parseTlvs, tlvTotalLength } from '../../src/card/ber-tlv.js';
import { bytesToHex } from '../../src/card/bytes.js';
import { describeSw, formatSw } from '../../src/card/status-word.js';
import { hex } from './support/vectors.js';

describe('command APDU encoding', () => {
  const header = { cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x02 };
  it.each([
    ['case 1', {}, '00B00102'],
    ['case 2 short', { le: 0x80 }, '00B0010280'],
    ['case 2 short, Le 256', { le: 256 }, '00B0010200'],
    ['case 2 extended', { le: 0x1234 }, '00B00102001234'],
    ['case 2 extended, Le 65536', { le: 65536 }, '00B00102000000'],
    ['case 3 short', { data: hex('AABB') }, '00B0010202AABB'],
    ['case 4 short', { data: hex('AABB'), le: 256 }, '00B0010202AABB00'],
    ['case 4 extended (Le)', { data: hex('AABB'), le: 300 }, '00B00102000002AABB012C'],
  ])('%s', (_name, fields, expected) => {
    expect(bytesToHex(encodeCommandApdu({ ...header, ...fields }))).toBe(expected);
  });

  it('uses the extended form for more than 255 data bytes', () => {
    const encoded = encodeCommandApdu({ ...header, data: new Uint8Array(256).fill(0xee), le: 2 });
    expect(bytesToHex(encoded.slice(0, 7))).toBe('00B00102000100');
    expect(bytesToHex(encoded.slice(-2))).toBe('0002');
    expect(encoded.length).toBe(7 + 256 + 2);
  });

  it('parses responses and refuses those without a status word', () => {
    expect(parseResponseApdu(hex('01029000'))).toEqual({ data: hex('0102'), sw: 0x9000 });
    expect(() => parseResponseApdu(hex('90'))).toThrow(expect.objectContaining({ code: 'malformed_response' }));
  });

  it('names status words', () => {
    expect(formatSw(0x6a82)).toBe('6A82');
    expect(describeSw(0x6a82)).toBe('6A82 (fileNotFound)');
    expect(describeSw(0x6f00)).toBe('6F00');
  });
});

describe('BER-TLV', () => {
  it('round-trips 1-, 2- and 3-byte tags with short, 81 and 82 lengths', () => {
    const objects = [
      encodeTlv(0x87, new Uint8Array(0x11)),
      encodeTlv(0x5f37, new Uint8Array(0x89)),
      encodeTlv(0xbfa101, new Uint8Array(0x109)),
    ];
    expect(bytesToHex(objects[0]!.slice(0, 2))).toBe('8711');
    expect(bytesToHex(objects[1]!.slice(0, 4))).toBe('5F378189');
    expect(bytesToHex(objects[2]!.slice(0, 6))).toBe('BFA101820109');
    const parsed = parseTlvs(Buffer.concat(objects));
    expect(parsed.map((t) => [t.tag, t.value.length])).toEqual([
      [0x87, 0x11],
      [0x5f37, 0x89],
      [0xbfa101, 0x109],
    ]);
  });

  it('finds nested values (GET DATA Y_ICC structure)', () => {
    expect(bytesToHex(findValue(hex('A6049102ABCD'), 0xa6, 0x91))).toBe('ABCD');
    expect(() => findValue(hex('A6049202ABCD'), 0xa6, 0x91)).toThrow(expect.objectContaining({ code: 'malformed_response' }));
  });

  it('reports truncation and unsupported lengths as malformed_response', () => {
    for (const bad of ['8705010203', '87', '5F', '878301000001', '8780']) {
      expect(() => parseTlvs(hex(bad))).toThrow(expect.objectContaining({ code: 'malformed_response' }));
    }
  });

  it('takes the DER length of a zero-padded object from its header', () => {
    expect(tlvTotalLength(hex('3082012C0000'))).toBe(4 + 300);
    expect(tlvTotalLength(hex('300300000000'))).toBe(5);
  });
});
