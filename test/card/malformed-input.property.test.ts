import fc from 'fast-check';
import { parseTlvs } from '../../src/card/ber-tlv.js';
import { CardError } from '../../src/card/card-error.js';
import { unprotectResponse } from '../../src/card/secure-messaging.js';
import { hex, vectors } from './support/vectors.js';

/** Whatever a broken or hostile card sends, the host fails with a typed CardError, never a raw exception. */
function onlyCardErrors(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof CardError && ['malformed_response', 'secure_messaging'].includes(error.code);
  }
}

describe('malformed input', () => {
  const keys = vectors.cie_sm_session_keys_for_standalone_vectors;
  const smKeys = { kEnc: hex(keys.k_enc), kMac: hex(keys.k_mac) };
  const genuine = hex(vectors.cie_sm_responses.find((v: { id: string }) => v.id === 'cie-sm-resp-read-128').response_body);

  it('BER-TLV parsing of arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyCardErrors(() => parseTlvs(bytes))));
  });

  it('SM unwrapping of arbitrary bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => onlyCardErrors(() => unprotectResponse(smKeys, new Uint8Array(8), body))),
    );
  });

  it('SM unwrapping of a genuine body with one byte changed or cut short', () => {
    fc.assert(
      fc.property(fc.nat({ max: genuine.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (index, flip, cut) => {
        const body = cut ? genuine.slice(0, index) : genuine.slice();
        if (!cut) body[index]! ^= flip;
        try {
          unprotectResponse(smKeys, hex('000000000000000B'), body);
          return false; // any change must be detected
        } catch (error) {
          return error instanceof CardError && ['malformed_response', 'secure_messaging'].includes(error.code);
        }
      }),
    );
  });
});
