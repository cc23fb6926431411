import { X509Certificate } from 'node:crypto';
import { PIN_TRIES, PUK_TRIES, type CieCardData } from './card-data.js';
import { describeSecurityObject } from './sod-summary.js';

/** Human-readable description of a card for `cie-card show`; never includes PIN or PUK. */
export function formatCardSummary(card: CieCardData): string {
  const { holder, state } = card;
  const lines = [
    `Holder:           ${holder.givenName} ${holder.familyName}`,
    `Fiscal code:      ${holder.fiscalCode}`,
    `Birth date:       ${holder.birthDate}`,
    ...(holder.email ? [`Email:            ${holder.email}`] : []),
    `Document number:  ${card.documentNumber}`,
    `NIS:              ${card.nis}`,
    `Chip family:      ${card.family}`,
    `PIN tries left:   ${state.pinTriesLeft}/${PIN_TRIES}${state.pinTriesLeft === 0 ? ' (PIN blocked, unblock with the PUK)' : ''}`,
    `PUK tries left:   ${state.pukTriesLeft}/${PUK_TRIES}`,
    `Digital identity: ${state.identityBlocked ? 'BLOCKED for good (PUK exhausted)' : 'usable'}`,
  ];
  try {
    const certificate = new X509Certificate(card.authCertificate);
    lines.push(`Certificate:      ${certificate.subject.replaceAll('\n', ', ')}`);
    lines.push(`                  serial ${certificate.serialNumber}, valid until ${certificate.validTo}`);
  } catch {
    lines.push(`Certificate:      (EF 10 03 holds ${card.authCertificate.length} bytes that are not an X.509 certificate)`);
  }
  lines.push(...describeSecurityObject(card.sod));
  return `${lines.join('\n')}\n`;
}
