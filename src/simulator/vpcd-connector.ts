import { connect, type Socket } from 'node:net';
import { TransportError } from '../transport/card-transport.js';
import type { VirtualCardPort } from './virtual-card-port.js';

// vsmartcard vpcd protocol (virtualsmartcard/src/vpcd/vpcd.h): one-byte control payloads.
const POWER_OFF = 0x00;
const POWER_ON = 0x01;
const RESET = 0x02;
const GET_ATR = 0x04;

export interface VpcdConnectorOptions {
  readonly host?: string;
  readonly port?: number;
}

export interface VpcdConnection {
  /** Closes the socket: vpcd reports the card as removed at its next presence poll. */
  close(): Promise<void>;
}

/**
 * Inserts a software card into vsmartcard's virtual reader: vpcd listens, the card connects and
 * answers vpcd's frames. Written by hand because no npm package speaks this protocol.
 */
export function connectToVpcd(card: VirtualCardPort, { host = '127.0.0.1', port = 35963 }: VpcdConnectorOptions = {}): Promise<VpcdConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.once('error', (error) =>
      reject(new TransportError('transport_failed', `Cannot reach vpcd at ${host}:${port}`, { host, port }, { cause: error })),
    );
    socket.once('connect', () => {
      // After connecting, errors (vpcd gone) only mean "card out"; 'close' follows.
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      const frames = new VpcdFrameReader();
      socket.on('data', (chunk: Buffer) => {
        for (const payload of frames.push(chunk)) {
          const reply = answer(card, payload);
          if (reply) socket.write(encodeVpcdFrame(reply));
        }
      });
      resolve({ close: () => closeSocket(socket) });
    });
  });
}

/** The card's reply to one vpcd payload, or undefined for control bytes that expect none. */
function answer(card: VirtualCardPort, payload: Uint8Array): Uint8Array | undefined {
  if (payload.length !== 1) return card.transmit(payload);
  switch (payload[0]) {
    case POWER_OFF:
      card.powerOff();
      return undefined;
    case POWER_ON:
      card.powerOn();
      return undefined;
    case RESET:
      card.reset();
      return undefined;
    case GET_ATR:
      return card.atr;
    default:
      return undefined;
  }
}

/** Length-prefixed frame (2-byte big-endian length), built as one buffer so it goes out in one write. */
export function encodeVpcdFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  return frame;
}

/** Reassembles frames from a TCP stream: headers and payloads may arrive split or several per chunk. */
export class VpcdFrameReader {
  #buffered: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Uint8Array[] {
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    const frames: Uint8Array[] = [];
    while (this.#buffered.length >= 2) {
      const end = 2 + this.#buffered.readUInt16BE(0);
      if (this.#buffered.length < end) break;
      frames.push(new Uint8Array(this.#buffered.subarray(2, end)));
      this.#buffered = this.#buffered.subarray(end);
    }
    return frames;
  }
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.once('close', () => resolve());
    socket.destroy();
  });
}
