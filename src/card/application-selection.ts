import type { CardFamily } from './card-family.js';
import type { CommandChannel } from './command-channel.js';
import { selectCieApplication, selectIasApplication, selectMasterFile } from './commands.js';
import { requireSuccess } from './status-word.js';

/** SELECT IAS (or MF, by family), then SELECT DF_CIE: needed before touching any DF_CIE file. */
export async function selectCieApplications(channel: CommandChannel, family: CardFamily): Promise<void> {
  const selectIas = family.select === 'ias-aid' ? selectIasApplication() : selectMasterFile();
  requireSuccess(await channel.send(selectIas), 'SELECT IAS', 'unsupported_card');
  requireSuccess(await channel.send(selectCieApplication()), 'SELECT DF_CIE', 'unsupported_card');
}
