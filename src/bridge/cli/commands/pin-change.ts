import { CardError } from '../../../card/index.js';
import { CodePrompts } from '../code-prompts.js';
import type { CommandContext } from '../command-context.js';
import { cliMessages } from '../cli-messages.js';
import { describeFailure } from '../describe-failure.js';
import { openCardAccess } from '../open-card-access.js';

/** `cie-bridge pin change`: current PIN, new PIN twice; a wrong current PIN shows the tries left and is asked again. */
export async function pinChange({ io, language, config, terminals }: CommandContext): Promise<void> {
  const m = cliMessages(language);
  const prompts = new CodePrompts(io, language);
  const { cards } = await openCardAccess(config, terminals);
  try {
    // A missing or foreign card is reported before the citizen types anything.
    await cards.withCard(async (card) => card.family);
    let current = await prompts.pin(m.askCurrentPin);
    const next = await prompts.newPin();
    for (;;) {
      try {
        await cards.withCard((card) => card.changePin(current, next));
        break;
      } catch (error) {
        if (!(error instanceof CardError && error.code === 'wrong_pin')) throw error;
        io.warn(describeFailure(error, language));
        current = await prompts.pin(m.askCurrentPin);
      }
    }
    io.print(m.pinChanged);
  } finally {
    await cards.close();
  }
}
