/**
 * What a software card offers to whatever carries its APDUs (the in-process transport, the vpcd
 * connector). Synchronous on purpose: the card is a pure state machine; the carriers add I/O.
 */
export interface VirtualCardPort {
  /** ATR to report on power-on / GET ATR. */
  readonly atr: Uint8Array;
  /** Processes one command APDU and returns the response APDU (data ‖ SW1 SW2). Never throws. */
  transmit(command: Uint8Array): Uint8Array;
  /** Warm reset (vpcd control byte 0x02, SCARD_RESET_CARD): volatile state is cleared. */
  reset(): void;
  /** Power off (vpcd control byte 0x00): volatile state is cleared. */
  powerOff(): void;
  /** Power on (vpcd control byte 0x01). */
  powerOn(): void;
}
