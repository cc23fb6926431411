import { CardError } from '../../../card/index.js';
import { CliError } from '../cli-error.js';
import { CodePrompts } from '../code-prompts.js';
import type { CommandContext } from '../command-context.js';
import { cliMessages } from '../cli-messages.js';
import { describeFailure } from '../describe-failure.js';
import { openCardAccess } from '../open-card-access.js';

/**
 * `cie-bridge pin unblock`: PUK, new PIN twice. A wrong PUK shows the tries left and is asked again; before the
 * last try (the card said 1 left) the citizen must confirm, because a 10th wrong PUK blocks the card for good.
 */
export async function pinUnblock({ io, language, config, terminals }: CommandContext): Promise<void> {
  const m = cliMessages(language);
  const prompts = new CodePrompts(io, language);
  const { cards } = await openCardAccess(config, terminals);
  try {
    await cards.withCard(async (card) => card.family);
    let puk = await prompts.puk();
    const newPin = await prompts.newPin();
    for (;;) {
      try {
        await cards.withCard((card) => card.unblockPin(puk, newPin));
        break;
      } catch (error) {
        if (!(error instanceof CardError && error.code === 'wrong_puk')) throw error;
        io.warn(describeFailure(error, language));
        if (error.details.triesLeft === 1) {
          io.warn(m.lastPukWarning);
          if (!(await prompts.confirm())) throw new CliError('cancelled', 'the last PUK try was not confirmed');
        }
        puk = await prompts.puk();
      }
    }
    io.print(m.pinUnblocked);
  } finally {
    await cards.close();
  }
}
