import { normaliseSerialHex, randomSerialHex } from '../../../src/simulator/pki/serial-number.js';
import { revokeIn, suspendIn, unsuspendIn } from '../../../src/simulator/pki/status-transitions.js';
import { statusIn } from '../../../src/simulator/pki/pki-state.js';
import type { PkiState } from '../../../src/simulator/pki/pki-state.js';

const NOW = new Date('2026-05-04T03:02:01.999Z');

function stateWith(...serials: string[]): PkiState {
  return {
    version: 1,
    baseUrl: 'http://127.0.0.1:8980',
    issued: Object.fromEntries(serials.map((serial) => [serial, { issuer: 'issuing' as const, subject: 'CN=x', notAfter: NOW.toISOString() }])),
    revocations: {},
  };
}

describe('serial numbers', () => {
  it('are 16 bytes, positive and never start with a zero byte', () => {
    for (let i = 0; i < 200; i += 1) {
      const serial = randomSerialHex();
      expect(serial).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(serial.startsWith('00')).toBe(false);
      expect(normaliseSerialHex(serial)).toBe(serial);
    }
  });

  it.each([
    ['0A:BC', '0abc'],
    ['00 00 7f', '7f'],
    ['abc', '0abc'],
    ['00', '00'],
  ])('normalise %s to %s', (input, expected) => {
    expect(normaliseSerialHex(input)).toBe(expected);
  });

  it('rejects non-hex input', () => {
    expect(() => normaliseSerialHex('12g4')).toThrow(expect.objectContaining({ code: 'PKI_INVALID_SERIAL' }));
    expect(() => normaliseSerialHex('')).toThrow(expect.objectContaining({ code: 'PKI_INVALID_SERIAL' }));
  });
});

describe('status transitions', () => {
  it('store whole-second revocation times and leave the input state untouched', () => {
    const before = stateWith('aa');
    const after = revokeIn(before, 'aa', 'keyCompromise', NOW);
    expect(after.revocations['aa']).toEqual({ revokedAt: '2026-05-04T03:02:01.000Z', reason: 'keyCompromise' });
    expect(statusIn(before, 'aa')).toBe('good');
    expect(statusIn(after, 'aa')).toBe('revoked');
  });

  it('suspend and unsuspend round-trip to good', () => {
    const suspended = suspendIn(stateWith('aa'), 'aa', NOW);
    expect(statusIn(suspended, 'aa')).toBe('suspended');
    expect(statusIn(unsuspendIn(suspended, 'aa'), 'aa')).toBe('good');
  });

  it('never treat inherited object keys as serials', () => {
    expect(statusIn(stateWith('aa'), 'constructor')).toBe('unknown');
    expect(() => revokeIn(stateWith('aa'), 'toString', 'unspecified', NOW)).toThrow(expect.objectContaining({ code: 'PKI_UNKNOWN_SERIAL' }));
  });
});
