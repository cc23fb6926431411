import { concatBytes, fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import type { VirtualCardPort } from '../../../src/simulator/virtual-card-port.js';

/** Sends one APDU and follows `61xx` with GET RESPONSE, as a middleware-style host does; returns data ‖ final SW as hex. */
export function exchange(card: VirtualCardPort, apduHex: string): string {
  let response = card.transmit(fromHex(apduHex));
  let data = response.subarray(0, response.length - 2);
  while (response[response.length - 2] === 0x61) {
    response = card.transmit(Uint8Array.of(0x00, 0xc0, 0x00, 0x00, response[response.length - 1]!));
    data = concatBytes(data, response.subarray(0, response.length - 2));
  }
  return toHex(concatBytes(data, response.subarray(response.length - 2)));
}

export function sw(card: VirtualCardPort, apduHex: string): string {
  return exchange(card, apduHex).slice(-4);
}
