import type { Language } from '../../shared/language.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { type CliMessages, cliMessages } from './cli-messages.js';
import { isWeakPin } from '../new-pin-policy.js';

const EIGHT_DIGITS = /^[0-9]{8}$/;

/** Asks PIN, PUK and confirmations, and refuses what must never reach the card. Answers are never printed. */
export class CodePrompts {
  private readonly m: CliMessages;

  constructor(
    private readonly io: CliIo,
    language: Language,
  ) {
    this.m = cliMessages(language);
  }

  async pin(prompt: string = this.m.askPin): Promise<string> {
    return this.code(prompt, 'invalid_pin_format');
  }

  async puk(): Promise<string> {
    return this.code(this.m.askPuk, 'invalid_puk_format');
  }

  /** The new PIN twice: 8 digits, not a trivial pattern, both entries equal. */
  async newPin(): Promise<string> {
    const first = await this.pin(this.m.askNewPin);
    if (isWeakPin(first)) throw new CliError('weak_pin', 'the new PIN is a trivial pattern');
    const second = (await this.answer(this.m.askNewPinAgain, true)).trim();
    if (second !== first) throw new CliError('new_pins_differ', 'the two new PINs differ');
    return first;
  }

  /** True only when the citizen types the confirmation word ("SI"). */
  async confirm(): Promise<boolean> {
    const answer = await this.answer(this.m.confirmPrompt, false);
    return answer.trim().toUpperCase() === this.m.confirmWord;
  }

  private async code(prompt: string, invalid: 'invalid_pin_format' | 'invalid_puk_format'): Promise<string> {
    const value = (await this.answer(prompt, true)).trim();
    if (!EIGHT_DIGITS.test(value)) throw new CliError(invalid, 'not 8 digits');
    return value;
  }

  private async answer(prompt: string, secret: boolean): Promise<string> {
    const answer = await this.io.ask(prompt, { secret });
    if (answer === undefined) throw new CliError('cancelled', 'the input ended');
    return answer;
  }
}
