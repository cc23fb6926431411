import { bytesToHex } from '../../src/card/bytes.js';
import { detectCardFamily } from '../../src/card/card-family.js';
import { buildCvCertificate } from '../../src/card/cv-certificate.js';
import { parseDeviceAuthKeys } from '../../src/card/device-auth-keys.js';
import { parseCaPublicKey } from '../../src/card/get-data.js';
import { testDeviceAuthKeys, trace } from './support/trace-script.js';
import { hex, vectors } from './support/vectors.js';

describe('card family from the ATR (protocol §1.1)', () => {
  it.each([
    ['Gemalto (OpenSC #2486)', '3B8F80018031806 5B085040011120FFF8290008A', 'Gemalto', 'ias-aid', 'combined'],
    ['STM (opencie)', '3B8B80018066475000B8007F8290002E', 'STM', 'ias-aid', 'separate'],
    ['STM2 (no historical bytes)', '3B80800101', 'STM2', 'ias-aid', 'separate'],
    ['STM3', '3B8B80018066475000B80094829000C5', 'STM3', 'ias-aid', 'separate'],
    ['NXP', '3B8E80018031806549544E5850120FFF8290', 'NXP', 'master-file', 'separate'],
    ['Actalis', '3B8F800180318065495 44A3441120FFF82900088', 'Actalis', 'master-file', 'separate'],
    ['Bit4id 2023', '3B8F80018031806549544A3444120FFF8290008D', 'Bit4id', 'master-file', 'separate'],
  ])('%s', (_name, atr, name, select, dhParameters) => {
    expect(detectCardFamily(hex(atr.replace(/ /g, '')))).toEqual({ name, select, dhParameters });
  });

  it.each([
    ['CIE v1 (CardOS)', '3BF41800FF8131805500318000C7'],
    ['empty', ''],
    ['Gemalto bytes out of order (the middleware multiset quirk would accept it)', '3B8F800111000485B06580318012'],
  ])('rejects %s', (_name, atr) => {
    expect(() => detectCardFamily(hex(atr))).toThrow(expect.objectContaining({ code: 'unsupported_card' }));
  });
});

describe('device-authentication keys', () => {
  const key = (name: string) => {
    const k = vectors.test_rsa_keys[name];
    return { n: k.n, e: k.e, d: k.d };
  };

  it('parses the JSON file form (odd-length hex such as e = 10001 included)', () => {
    const keys = parseDeviceAuthKeys({ version: 1, ca: key('test-ca'), terminal: key('test-ifd') });
    expect(bytesToHex(keys.ca.n)).toBe(vectors.test_rsa_keys['test-ca'].n);
    expect(bytesToHex(keys.terminal.e)).toBe('010001');
  });

  it.each([
    ['not an object', null],
    ['wrong version', { version: 2, ca: key('test-ca'), terminal: key('test-ifd') }],
    ['missing terminal', { version: 1, ca: key('test-ca') }],
    ['non-hex d', { version: 1, ca: { ...key('test-ca'), d: 'xyz' }, terminal: key('test-ifd') }],
    ['d not below n', { version: 1, ca: { ...key('test-ca'), d: `FF${key('test-ca').n}` }, terminal: key('test-ifd') }],
    ['tiny modulus', { version: 1, ca: { ...key('test-ca'), n: '0F' }, terminal: key('test-ifd') }],
  ])('rejects %s with invalid_device_keys', (_name, json) => {
    expect(() => parseDeviceAuthKeys(json)).toThrow(expect.objectContaining({ code: 'invalid_device_keys' }));
  });
});

describe('terminal CV certificate (protocol §2.5)', () => {
  it('builds and signs the trace certificate byte for byte from the GET DATA answer', () => {
    const a = trace.dapp_inputs;
    const caKey = parseCaPublicKey(hex(a.ca_get_data_response_data));
    expect(bytesToHex(caKey.chr)).toBe(a.ca_chr_5F20);
    expect(bytesToHex(caKey.cha)).toBe(a.ca_cha_5F4C);
    const keys = testDeviceAuthKeys();
    const certificate = buildCvCertificate({ ca: keys.ca, terminal: keys.terminal, caChr: caKey.chr, caCha: caKey.cha });
    expect(bytesToHex(certificate)).toBe(a.cv_certificate_7F21);
    expect(certificate.length).toBe(a.cv_certificate_length);
  });
});
