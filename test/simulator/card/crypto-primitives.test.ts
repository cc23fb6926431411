import { createPublicKey } from 'node:crypto';
import { parseCommandApdu } from '../../../src/simulator/card/apdu.js';
import { concatBytes, fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import { retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from '../../../src/simulator/card/des.js';
import { padIso9797M2, unpadIso9797M2 } from '../../../src/simulator/card/iso-padding.js';
import { iso9796Recover, iso9796Sign } from '../../../src/simulator/card/iso9796-2.js';
import { rsaPkcs1Type1Sign } from '../../../src/simulator/card/rsa.js';
import { SmChannel } from '../../../src/simulator/card/secure-messaging.js';
import { testKey, vectors, type Json } from './vectors.js';

const publicVector = (id: string): Json => (vectors.public_vectors as Json[]).find((v) => v.id === id);

describe('ISO/IEC 9797-1 padding method 2 (dmrtd-pad-m2)', () => {
  it.each(publicVector('dmrtd-pad-m2').cases as [string, string][])('pads "%s"', (input, padded) => {
    expect(toHex(padIso9797M2(fromHex(input)))).toBe(padded);
    expect(toHex(unpadIso9797M2(fromHex(padded))!)).toBe(input);
  });

  it('refuses malformed padding', () => {
    expect(unpadIso9797M2(fromHex('0102030405060700'))).toBeUndefined();
    expect(unpadIso9797M2(fromHex('80000000000000000000000000000000'))).toBeUndefined();
  });
});

describe('3DES and retail MAC', () => {
  it('bc-mactest-iso9797alg3 (block-aligned input, no padding)', () => {
    const v = publicVector('bc-mactest-iso9797alg3');
    expect(toHex(retailMac(fromHex(v.key), fromHex(v.input)))).toBe(v.retail_mac);
    const cbc = tdesCbcEncrypt(fromHex(v.key), fromHex(v.input));
    expect(toHex(cbc.subarray(cbc.length - 8))).toBe(v.tdes_cbc_last_block);
  });

  it('pyemv-mac-iso9797-3 (method 2 padding)', () => {
    const v = publicVector('pyemv-mac-iso9797-3');
    const key = concatBytes(fromHex(v.key_k1), fromHex(v.key_k2));
    expect(toHex(retailMac(key, padIso9797M2(Buffer.from(v.input_ascii, 'ascii'))))).toBe(v.mac_pad_method_2);
  });

  it('cie-nis-python-algorithms (K1‖K2‖K1 layout)', () => {
    const v = publicVector('cie-nis-python-algorithms');
    expect(toHex(tdesCbcEncrypt(fromHex(v.key16), fromHex(v.data)))).toBe(v.tdes_cbc_key16);
    expect(toHex(tdesCbcEncrypt(concatBytes(fromHex(v.key8), fromHex(v.key8)), fromHex(v.data)))).toBe(v.des_cbc_key8);
    expect(toHex(tdesCbcDecrypt(fromHex(v.key16), fromHex(v.tdes_cbc_key16)))).toBe(v.data);
  });

  it('opensc-sm-unittests CBC cases (degenerate K1 = K2 key)', () => {
    const v = publicVector('opensc-sm-unittests');
    for (const c of (v.cases as Json[]).filter((x) => x.mode === 'CBC')) {
      const input = c.padding === 'none' ? fromHex(c.plain) : padIso9797M2(fromHex(c.plain));
      expect(toHex(tdesCbcEncrypt(fromHex(v.key), input))).toBe(c.cipher);
    }
  });
});

describe('ICAO 9303-11 Appendix D.4 from the card side', () => {
  it('unwraps the three commands and produces the three responses', () => {
    const v = publicVector('icao-d4-sm');
    const channel = new SmChannel({ kEnc: fromHex(v.ks_enc), kMac: fromHex(v.ks_mac) }, fromHex(v.ssc_initial));
    for (const exchange of v.exchanges as Json[]) {
      const plain = parseCommandApdu(fromHex(exchange.plain_apdu))!;
      const unwrapped = channel.unwrapCommand(parseCommandApdu(fromHex(exchange.protected_apdu))!)!;
      expect(toHex(unwrapped.data)).toBe(toHex(plain.data));
      expect(unwrapped.ne).toBe(plain.ne);
      const responsePlain = fromHex(exchange.response_plain);
      const data = responsePlain.subarray(0, responsePlain.length - 2);
      const wrapped = channel.wrapResponse(plain.ins, { data, sw: 0x9000 });
      expect(toHex(wrapped.data) + wrapped.sw.toString(16).toUpperCase()).toBe(exchange.response_apdu);
    }
  });
});

describe('ISO/IEC 9796-2 scheme 1 (cie_iso9796_2)', () => {
  const byId = (id: string): Json => (vectors.cie_iso9796_2 as Json[]).find((v) => v.id === id);

  it.each([
    ['cie-iso9796-2-cv-cert', 'm1_recoverable', 'sha256_B'],
    ['cie-iso9796-2-simple', 'm1_recoverable', 'sha256_message'],
    ['cie-iso9796-2-ext-auth', 'prnd', 'hash'],
    ['cie-iso9796-2-int-auth', 'prnd2', 'hash'],
  ])('%s: signs and recovers', (id, m1Field, hashField) => {
    const v = byId(id);
    const key = testKey(v.key);
    expect(toHex(iso9796Sign(key, fromHex(v[m1Field]), fromHex(v[hashField])))).toBe(v.signature);
    const recovered = iso9796Recover(createPublicKey(key), fromHex(v.signature))!;
    expect([toHex(recovered.recoverable), toHex(recovered.hash)]).toEqual([v[m1Field], v[hashField]]);
  });

  it('does not recover a signature made with another key', () => {
    const v = byId('cie-iso9796-2-cv-cert');
    expect(iso9796Recover(createPublicKey(testKey('test-ifd')), fromHex(v.signature))).toBeUndefined();
  });
});

describe('PKCS#1 v1.5 type-01 signing (cie_pkcs1_v15)', () => {
  it.each((vectors.cie_pkcs1_v15 as Json[]).map((v): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const input = fromHex(v.digestinfo ?? v.challenge);
    expect(toHex(rsaPkcs1Type1Sign(testKey(v.key), input))).toBe(v.signature);
  });
});
