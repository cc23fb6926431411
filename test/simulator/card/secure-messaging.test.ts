import { parseCommandApdu } from '../../../src/simulator/card/apdu.js';
import { fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import { SmChannel } from '../../../src/simulator/card/secure-messaging.js';
import { deriveSessionKeys, type SmKeys } from '../../../src/simulator/card/session-keys.js';
import { incrementSsc } from '../../../src/simulator/card/ssc.js';
import { vectors, type Json } from './vectors.js';

function keysOf(vector: Json): SmKeys {
  return { kEnc: fromHex(vector.k_enc), kMac: fromHex(vector.k_mac) };
}

/** Every single-block protected command in the vectors, with chained blocks flattened. */
const commandVectors: Json[] = vectors.cie_sm_commands.flatMap((v: Json) =>
  v.blocks ? v.blocks.map((b: Json, i: number) => ({ id: `${v.id}#${i + 1}`, ...b.command })) : [v],
);

describe('card-side SM unwrap of cie_sm_commands', () => {
  it.each(commandVectors.map((v): [string, Json] => [v.id, v]))('%s: MAC verified, data decrypted, Le recovered', (_id, v: Json) => {
    const channel = new SmChannel(keysOf(v), fromHex(v.ssc_before));
    const plain = parseCommandApdu(fromHex(v.plain_apdu))!;
    const unwrapped = channel.unwrapCommand(parseCommandApdu(fromHex(v.protected_apdu))!);
    expect(unwrapped).toBeDefined();
    expect(toHex(channel.sendSequenceCounter)).toBe(v.ssc_mac);
    expect({ cla: unwrapped!.cla, ins: unwrapped!.ins, p1: unwrapped!.p1, p2: unwrapped!.p2 }).toEqual({
      cla: plain.cla,
      ins: plain.ins,
      p1: plain.p1,
      p2: plain.p2,
    });
    expect(toHex(unwrapped!.data)).toBe(v.data_plain ?? '');
    expect(unwrapped!.ne).toBe(plain.ne);
  });

  it('rejects a command whose MAC or cryptogram was altered', () => {
    const v = commandVectors.find((c) => c.id === 'cie-sm-cmd-verify-pin')!;
    const original = fromHex(v.protected_apdu);
    for (const index of [7, original.length - 3]) {
      const tampered = Uint8Array.from(original);
      tampered[index]! ^= 0x01;
      const channel = new SmChannel(keysOf(v), fromHex(v.ssc_before));
      expect(channel.unwrapCommand(parseCommandApdu(tampered)!)).toBeUndefined();
    }
  });

  it('rejects a replay at a later SSC', () => {
    const v = commandVectors.find((c) => c.id === 'cie-sm-cmd-get-challenge')!;
    const channel = new SmChannel(keysOf(v), incrementSsc(fromHex(v.ssc_before)));
    expect(channel.unwrapCommand(parseCommandApdu(fromHex(v.protected_apdu))!)).toBeUndefined();
  });
});

describe('card-side SM wrap of cie_sm_responses', () => {
  it.each((vectors.cie_sm_responses as Json[]).map((v): [string, Json] => [v.id, v]))('%s: exact response bytes', (_id, v: Json) => {
    const channel = new SmChannel(keysOf(v), fromHex(v.ssc_before));
    const answered = vectors.cie_sm_commands.find((c: Json) => v.answers.startsWith(c.id));
    const ins = fromHex(answered.plain_apdu)[1]!;
    const response = channel.wrapResponse(ins, { data: fromHex(v.data_plain ?? ''), sw: parseInt(v.sw_inner, 16) });
    expect(toHex(response.data)).toBe(v.response_body);
    expect(response.sw.toString(16).toUpperCase().padStart(4, '0')).toBe(v.sw_outer);
  });
});

describe('session keys and SSC', () => {
  it.each((vectors.cie_kdf as Json[]).map((v): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const keys = deriveSessionKeys(fromHex(v.Z));
    expect([toHex(keys.kEnc), toHex(keys.kMac)]).toEqual([v.k_enc, v.k_mac]);
  });

  it('increments with carry and wraps (cie_ssc, dmrtd-ssc, opensc)', () => {
    const cases: [string, number, string][] = [];
    for (const v of vectors.cie_ssc as Json[]) if (v.ssc_after) cases.push([v.ssc_before, 1, v.ssc_after]);
    const publicVectors = vectors.public_vectors as Json[];
    for (const [from, step, to] of publicVectors.find((v) => v.id === 'dmrtd-ssc').cases) cases.push([from, Number(step), to]);
    for (const [from, to] of publicVectors.find((v) => v.id === 'opensc-sm-unittests').ssc_cases) cases.push([from, 1, to]);
    expect(cases.length).toBeGreaterThanOrEqual(8);
    for (const [from, step, to] of cases) {
      let ssc = fromHex(from);
      for (let i = 0; i < step; i++) ssc = incrementSsc(ssc);
      expect(toHex(ssc)).toBe(to);
    }
  });
});
