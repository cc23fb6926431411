import { encodeCommandApdu } from '../../src/card/apdu.js';
import { ApduLink } from '../../src/card/apdu-link.js';
import { encodeTlv, parseTlvHeader, parseTlvs } from '../../src/card/ber-tlv.js';
import { bytesToHex, concatBytes } from '../../src/card/bytes.js';
import { SecureChannel } from '../../src/card/secure-channel.js';
import { protectCommand, unprotectResponse } from '../../src/card/secure-messaging.js';
import { parseShortCommand } from './support/parse-command.js';
import { ScriptedTransport } from './support/scripted-transport.js';
import { STM3_ATR } from './support/trace-script.js';
import { type Json, hex, publicVector, vectors } from './support/vectors.js';

const keysOf = (v: Json) => ({ kEnc: hex(v.k_enc ?? v.ks_enc), kMac: hex(v.k_mac ?? v.ks_mac) });
const simpleCommands = vectors.cie_sm_commands.filter((v: Json) => v.plain_apdu);

describe('wrapping commands (cie_sm_commands)', () => {
  it.each<[string, Json]>(simpleCommands.map((v: Json): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const wrapped = encodeCommandApdu(protectCommand(keysOf(v), hex(v.ssc_mac), parseShortCommand(hex(v.plain_apdu))));
    expect(bytesToHex(wrapped)).toBe(v.protected_apdu);
  });

  it('cie-sm-cmd-chained-2-blocks: 264 bytes go as 231 + 33, CLA 1C then 0C, one SSC step per block', async () => {
    const v = vectors.cie_sm_commands.find((x: Json) => x.id === 'cie-sm-cmd-chained-2-blocks');
    const first = v.blocks[0].command;
    const transport = new ScriptedTransport(
      STM3_ATR,
      v.blocks.map((block: Json, i: number) => ({
        label: `block ${i + 1}`,
        expect: hex(block.command.protected_apdu),
        respond: hex(block.response.response_apdu),
      })),
    );
    const channel = new SecureChannel(new ApduLink(transport), keysOf(first), hex(first.ssc_before));
    const response = await channel.send({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: hex(v.data_plain_total) });
    expect(response.sw).toBe(0x9000);
    expect(transport.remaining).toEqual([]);
  });
});

describe('unwrapping responses (cie_sm_responses)', () => {
  it.each<[string, Json]>(vectors.cie_sm_responses.map((v: Json): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const response = unprotectResponse(keysOf(v), hex(v.ssc_mac), hex(v.response_body));
    expect(bytesToHex(response.data)).toBe(v.data_plain ?? '');
    expect(response.sw.toString(16).toUpperCase()).toBe(v.sw_inner);
  });

  it('rejects any flipped bit in the MAC or the cryptogram', () => {
    const v = vectors.cie_sm_responses.find((x: Json) => x.id === 'cie-sm-resp-data-9000');
    for (const index of [3, hex(v.response_body).length - 1]) {
      const body = hex(v.response_body);
      body[index]! ^= 0x80;
      expect(() => unprotectResponse(keysOf(v), hex(v.ssc_mac), body)).toThrow(
        expect.objectContaining({ code: 'secure_messaging' }),
      );
    }
  });

  it('rejects a response checked with the wrong SSC', () => {
    const v = vectors.cie_sm_responses.find((x: Json) => x.id === 'cie-sm-resp-63c2');
    expect(() => unprotectResponse(keysOf(v), hex(v.ssc_before), hex(v.response_body))).toThrow(
      expect.objectContaining({ code: 'secure_messaging' }),
    );
  });

  it('rejects bodies without DO 99 or with objects after DO 8E', () => {
    const v = vectors.cie_sm_responses.find((x: Json) => x.id === 'cie-sm-resp-9000-nodata');
    const body = hex(v.response_body);
    expect(() => unprotectResponse(keysOf(v), hex(v.ssc_mac), body.slice(4))).toThrow(
      expect.objectContaining({ code: 'secure_messaging' }),
    );
    expect(() => unprotectResponse(keysOf(v), hex(v.ssc_mac), concatBytes(body, hex('99029000')))).toThrow(
      expect.objectContaining({ code: 'secure_messaging' }),
    );
  });
});

describe('ICAO 9303-11 D.4 secure messaging (published)', () => {
  const v = publicVector('icao-d4-sm');
  it.each<[number, Json]>(v.exchanges.map((x: Json, i: number): [number, Json] => [i + 1, x]))('exchange %s', (_n, x: Json) => {
    const wrapped = encodeCommandApdu(protectCommand(keysOf(v), hex(x.ssc_mac), parseShortCommand(hex(x.plain_apdu))));
    expect(bytesToHex(wrapped)).toBe(x.protected_apdu);
    const body = hex(x.response_apdu).slice(0, -2);
    const response = unprotectResponse(keysOf(v), hex(x.ssc_resp), body);
    expect(bytesToHex(concatBytes(response.data, Uint8Array.of(response.sw >> 8, response.sw & 0xff)))).toBe(x.response_plain);
  });
});

describe('cie_tlv_length_forms', () => {
  it.each<[string, Json]>(vectors.cie_tlv_length_forms.map((v: Json): [string, Json] => [v.description, v]))('%s', (_d, v: Json) => {
    if (v.encoded) {
      const [tlv] = parseTlvs(hex(v.encoded));
      expect(bytesToHex(encodeTlv(tlv!.tag, tlv!.value))).toBe(v.encoded);
      return;
    }
    const header = parseTlvHeader(hex(v.tag_and_length_bytes));
    if (v.value_length !== undefined) expect(header.valueLength).toBe(v.value_length);
    expect(bytesToHex(encodeTlv(header.tag, new Uint8Array(header.valueLength)).slice(0, header.headerLength))).toBe(
      v.tag_and_length_bytes,
    );
  });
});
