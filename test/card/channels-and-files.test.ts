import { ApduLink } from '../../src/card/apdu-link.js';
import { bytesToHex, concatBytes } from '../../src/card/bytes.js';
import { readBinaryLoop, readDerFile } from '../../src/card/file-reader.js';
import { PlainChannel } from '../../src/card/plain-channel.js';
import { SecureChannel } from '../../src/card/secure-channel.js';
import { ScriptedTransport, ok } from './support/scripted-transport.js';
import { STM3_ATR } from './support/trace-script.js';
import { hex } from './support/vectors.js';

const plainChannel = (transport: ScriptedTransport) => new PlainChannel(new ApduLink(transport));
const FILE = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);

describe('plain exchange', () => {
  it('collects 61xx answers with GET RESPONSE and counts every APDU and byte', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: 'GET DATA', expect: hex('00CB3FFF03010203'), respond: ok(FILE) },
    ]);
    const link = new ApduLink(transport);
    const response = await new PlainChannel(link).send({ cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: hex('010203') });
    expect(bytesToHex(response.data)).toBe(bytesToHex(FILE));
    expect(response.sw).toBe(0x9000);
    // 61 00 → GET RESPONSE 00 (256 bytes, 61 2C) → GET RESPONSE 2C (44 bytes, 90 00)
    expect(transport.sent.map(bytesToHex).slice(1)).toEqual(['00C0000000', '00C000002C']);
    expect(link.stats).toEqual({ apdus: 3, bytesSent: 8 + 5 + 5, bytesReceived: 2 + 258 + 46 });
  });

  it('chains data over 255 bytes in 255-byte blocks with CLA 10, Le only on the last', async () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: 'block 1', expect: concatBytes(hex('102241A6FF'), data.slice(0, 255)), respond: ok() },
      { label: 'block 2', expect: concatBytes(hex('002241A62D'), data.slice(255), hex('00')), respond: ok() },
    ]);
    const response = await plainChannel(transport).send({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa6, data, le: 256 });
    expect(response.sw).toBe(0x9000);
    expect(transport.remaining).toEqual([]);
  });

  it('stops chaining at the first block the card refuses', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: 'block 1', expect: () => undefined, respond: hex('6A80') },
    ]);
    const response = await plainChannel(transport).send({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa6, data: FILE });
    expect(response.sw).toBe(0x6a80);
    expect(transport.sent).toHaveLength(1);
  });
});

describe('READ BINARY loop', () => {
  it('reads to the end of the file: 9000 chunks, then a short chunk with 6282', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: '@0', expect: hex('00B0000080'), respond: ok(FILE.slice(0, 128)) },
      { label: '@80', expect: hex('00B0008080'), respond: ok(FILE.slice(128, 256)) },
      { label: '@100', expect: hex('00B0010080'), respond: concatBytes(FILE.slice(256), hex('6282')) },
    ]);
    expect(bytesToHex(await readBinaryLoop(plainChannel(transport), 0))).toBe(bytesToHex(FILE));
  });

  it('reads to the end of the file: stops on 6B00 past the end', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: '@0', expect: hex('00B0000080'), respond: ok(FILE.slice(0, 128)) },
      { label: '@80', expect: hex('00B0008080'), respond: hex('6B00') },
    ]);
    expect(bytesToHex(await readBinaryLoop(plainChannel(transport), 0))).toBe(bytesToHex(FILE.slice(0, 128)));
  });

  it('turns other status words into card_error with the SW', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [{ label: '@0', expect: hex('00B0000080'), respond: hex('6982') }]);
    await expect(readBinaryLoop(plainChannel(transport), 0)).rejects.toMatchObject({
      code: 'card_error',
      details: { sw: '6982' },
    });
  });

  it('reads a DER object only up to its length and refuses a file shorter than its header says', async () => {
    const der = concatBytes(hex('3082012C'), FILE);
    const script = (last: Uint8Array) => [
      { label: 'SELECT', expect: hex('00A40204021003'), respond: ok() },
      { label: '@0', expect: hex('00B0000080'), respond: ok(der.slice(0, 128)) },
      { label: '@80', expect: hex('00B0008080'), respond: ok(der.slice(128, 256)) },
      { label: '@100', expect: hex('00B0010030'), respond: last },
    ];
    const complete = new ScriptedTransport(STM3_ATR, script(ok(der.slice(256))));
    expect(bytesToHex(await readDerFile(plainChannel(complete), hex('1003')))).toBe(bytesToHex(der));
    const truncated = new ScriptedTransport(STM3_ATR, script(concatBytes(der.slice(256, 260), hex('6282'))));
    await expect(readDerFile(plainChannel(truncated), hex('1003'))).rejects.toMatchObject({ code: 'malformed_response' });
  });
});

describe('secure channel', () => {
  it('returns an unprotected error answer as is, without advancing the SSC for a response', async () => {
    const keys = { kEnc: new Uint8Array(16).fill(1), kMac: new Uint8Array(16).fill(2) };
    const transport = new ScriptedTransport(STM3_ATR, [{ label: 'cmd', expect: () => undefined, respond: hex('6A82') }]);
    const channel = new SecureChannel(new ApduLink(transport), keys, new Uint8Array(8));
    const response = await channel.send({ cla: 0, ins: 0xa4, p1: 2, p2: 4, data: hex('1003') });
    expect(response).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
  });
});
