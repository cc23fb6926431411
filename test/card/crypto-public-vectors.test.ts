import { bytesToHex, concatBytes } from '../../src/card/bytes.js';
import { desCbcEncrypt, desEcbEncrypt, tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../../src/card/crypto/des.js';
import { padIso9797M2, retailMac, unpadIso9797M2 } from '../../src/card/crypto/iso9797.js';
import { incrementSsc, sscAfterDeviceAuthentication } from '../../src/card/crypto/ssc.js';
import { type Json, byId, hex, publicVector } from './support/vectors.js';

describe('3DES, padding and retail MAC against published vectors', () => {
  it('ICAO 9303-11 D.3: 3DES-CBC and retail MAC of the BAC exchange', () => {
    const v = publicVector('icao-d3-bac');
    expect(bytesToHex(tripleDesCbcEncrypt(hex(v.k_enc), hex(v.S)))).toBe(v.E_ifd);
    expect(bytesToHex(tripleDesCbcDecrypt(hex(v.k_enc), hex(v.E_ic)))).toBe(v.R);
    expect(bytesToHex(retailMac(hex(v.k_mac), padIso9797M2(hex(v.E_ifd))))).toBe(v.M_ifd);
    expect(bytesToHex(retailMac(hex(v.k_mac), padIso9797M2(hex(v.E_ic))))).toBe(v.M_ic);
    expect(bytesToHex(sscAfterDeviceAuthentication(hex(v.rnd_ic), hex(v.rnd_ifd)))).toBe(v.ssc);
  });

  it('dmrtd: ISO 9797-1 method 2 padding always adds at least one byte, and unpads back', () => {
    for (const [input, padded] of publicVector('dmrtd-pad-m2').cases as [string, string][]) {
      expect(bytesToHex(padIso9797M2(hex(input)))).toBe(padded);
      expect(bytesToHex(unpadIso9797M2(hex(padded))!)).toBe(input);
    }
  });

  it('rejects malformed padding', () => {
    expect(unpadIso9797M2(hex('0102030405060700'))).toBeUndefined();
    expect(unpadIso9797M2(hex('80000000000000000000000000000000'))).toBeUndefined();
    expect(unpadIso9797M2(new Uint8Array(0))).toBeUndefined();
  });

  it('Bouncy Castle: retail MAC and 3DES CBC-MAC over "Hello World !!!!"', () => {
    const v = publicVector('bc-mactest-iso9797alg3');
    expect(bytesToHex(retailMac(hex(v.key), hex(v.input)))).toBe(v.retail_mac);
    expect(bytesToHex(tripleDesCbcEncrypt(hex(v.key), hex(v.input)).slice(-8))).toBe(v.tdes_cbc_last_block);
  });

  it('pyemv: retail MAC with padding method 2', () => {
    const v = publicVector('pyemv-mac-iso9797-3');
    const key = concatBytes(hex(v.key_k1), hex(v.key_k2));
    expect(bytesToHex(retailMac(key, padIso9797M2(Buffer.from(v.input_ascii))))).toBe(v.mac_pad_method_2);
  });

  it('cie-nis-python-sdk: DES-CBC, 2-key 3DES-CBC and one-block MAC', () => {
    const v = publicVector('cie-nis-python-algorithms');
    expect(bytesToHex(desCbcEncrypt(hex(v.key8), hex(v.data)))).toBe(v.des_cbc_key8);
    expect(bytesToHex(tripleDesCbcEncrypt(hex(v.key16), hex(v.data)))).toBe(v.tdes_cbc_key16);
    expect(bytesToHex(tripleDesCbcEncrypt(hex(v.key16), hex(v.data).slice(0, 8)))).toBe(v.mac_one_block_key16);
  });

  it('OpenSC: 3DES with K1 = K2, forced padding, ECB and CBC-MAC', () => {
    const v = publicVector('opensc-sm-unittests');
    const key = hex(v.key);
    const byMode = (mode: string, padding: string) => v.cases.find((c: Json) => c.mode === mode && c.padding === padding);
    const cbc = (c: Json, pad: boolean) => bytesToHex(tripleDesCbcEncrypt(key, pad ? padIso9797M2(hex(c.plain)) : hex(c.plain)));
    expect(cbc(byMode('CBC', 'none'), false)).toBe(byMode('CBC', 'none').cipher);
    expect(cbc(byMode('CBC', 'method 2'), true)).toBe(byMode('CBC', 'method 2').cipher);
    expect(cbc(byMode('CBC', 'method 2 forced on aligned input'), true)).toBe(byMode('CBC', 'method 2 forced on aligned input').cipher);
    const ecb = byMode('ECB', 'none');
    expect(bytesToHex(desEcbEncrypt(key.slice(0, 8), hex(ecb.plain)))).toBe(ecb.cipher);
    const mac = byMode('CBC-MAC (last 3DES-CBC block)', 'none');
    expect(bytesToHex(tripleDesCbcEncrypt(key, hex(mac.plain)).slice(-8))).toBe(mac.cipher);
  });
});

describe('SSC', () => {
  it('OpenSC and dmrtd: increment with carry and wrap to zero', () => {
    for (const [before, after] of publicVector('opensc-sm-unittests').ssc_cases as [string, string][]) {
      expect(bytesToHex(incrementSsc(hex(before)))).toBe(after);
    }
    for (const [before, step, after] of publicVector('dmrtd-ssc').cases as [string, string, string][]) {
      let ssc = hex(before);
      for (let i = 0; i < Number(step.slice(1)); i++) ssc = incrementSsc(ssc);
      expect(bytesToHex(ssc)).toBe(after);
    }
  });

  it('cie_ssc: after DH, after DAPP, carry and wrap', () => {
    const afterDh = byId('cie_ssc', 'cie-ssc-after-dh');
    expect(bytesToHex(incrementSsc(hex(afterDh.ssc_after_dh)))).toBe(afterDh.ssc_mac_first_command);
    expect(bytesToHex(incrementSsc(hex(afterDh.ssc_mac_first_command)))).toBe(afterDh.ssc_mac_first_response);
    const afterDapp = byId('cie_ssc', 'cie-ssc-after-dapp');
    const ssc = sscAfterDeviceAuthentication(hex(afterDapp.rnd_icc), hex(afterDapp.rnd_ifd));
    expect(bytesToHex(ssc)).toBe(afterDapp.ssc);
    expect(bytesToHex(incrementSsc(ssc))).toBe(afterDapp.ssc_mac_next_command);
    for (const id of ['cie-ssc-carry', 'cie-ssc-wrap']) {
      const v = byId('cie_ssc', id);
      expect(bytesToHex(incrementSsc(hex(v.ssc_before)))).toBe(v.ssc_after);
    }
  });
});
