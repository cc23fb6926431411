import { ConfigError } from '../../config/config.js';
import { CodedError } from '../../shared/coded-error.js';
import type { Language } from '../../shared/language.js';
import { VirtualCardError } from '../../simulator/card/index.js';
import { bridgeMessages, cardFailureMessage } from '../messages.js';
import { cliMessages } from './cli-messages.js';

/**
 * What the citizen reads for a failed command. Only codes and counters are used, never an error's message
 * text (apart from configuration errors, which name a setting), so a PIN or PUK cannot leak through here.
 */
export function describeFailure(error: unknown, language: Language): string {
  const m = cliMessages(language);
  const bridge = bridgeMessages(language);
  if (error instanceof ConfigError) return m.invalidConfig(error.message);
  if (error instanceof VirtualCardError) return m.virtualCard(String(error.details.path ?? ''));
  if (!(error instanceof CodedError)) return `${m.unexpected} (${errorKind(error)})`;
  const { triesLeft } = error.details;
  switch (error.code) {
    case 'cancelled':
      return m.cancelled;
    case 'invalid_puk_format':
      return m.invalidPukFormat;
    case 'new_pins_differ':
      return m.newPinsDiffer;
    case 'weak_pin':
      return m.weakPin;
    case 'device_keys_unreadable':
      return m.deviceKeys(String(error.details.path ?? ''));
    case 'port_in_use':
      return m.portInUse(Number(error.details.port));
    case 'wrong_puk':
      return typeof triesLeft === 'number' ? m.wrongPuk(triesLeft) : m.wrongPukUnknown;
    // The card answers "blocked" to VERIFY PIN both when only the PIN is blocked and after the PUK is exhausted.
    case 'pin_blocked':
      return `${m.pinBlocked} ${m.pinBlockedAndPukToo}`;
    default:
      return cardFailureMessage(bridge, error.code, triesLeft);
  }
}

/** Name and system code only (e.g. "Error ENOENT"): enough to report, and no free text that could carry input. */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.name} ${code}` : error.name;
}
