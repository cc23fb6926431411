import { identityFromCertificate } from '../../../cie/identity/index.js';
import type { Language } from '../../../shared/language.js';
import { x509 } from '../../../shared/x509.js';
import { CodePrompts } from '../code-prompts.js';
import type { CommandContext } from '../command-context.js';
import { type CliMessages, cliMessages } from '../cli-messages.js';
import type { CliIo } from '../cli-io.js';
import { cliErrorText } from '../describe-failure.js';
import { openCardAccess } from '../open-card-access.js';

/** `cie-bridge status`: readers, then the card's family and NIS (no PIN); with --pin-prompt the holder too. */
export async function status({ io, language, config, options, terminals }: CommandContext): Promise<void> {
  const m = cliMessages(language);
  const { terminal, cards } = await openCardAccess(config, terminals);
  try {
    const readers = await terminal.listReaders();
    io.print(m.readers);
    if (readers.length === 0) io.print(m.noReaders);
    for (const reader of readers) io.print(m.reader(reader.name, reader.cardPresent));
    const card = await cards.withCard(async (cie) => ({ family: cie.family.name, nis: await cie.readNis() }));
    io.print(m.family(card.family));
    io.print(m.nis(card.nis));
    if (!options.pinPrompt) return;
    const pin = await new CodePrompts(io, language).pin();
    const certificate = await cards.withCard((cie) => cie.readCertificate(pin));
    printHolder(certificate, io, m, language);
  } finally {
    await cards.close();
  }
}

function printHolder(certificate: Uint8Array, io: CliIo, m: CliMessages, language: Language): void {
  let identity;
  try {
    identity = identityFromCertificate(new x509.X509Certificate(new Uint8Array(certificate)));
  } catch {
    io.print(cliErrorText('certificate_unreadable', language));
    return;
  }
  io.print(m.holder(`${identity.givenName} ${identity.familyName}`));
  io.print(m.fiscalCode(identity.fiscalCode));
  io.print(m.documentNumber(identity.documentNumber));
  io.print(m.expiresOn(identity.documentExpiresOn));
}
