import { claimLabels } from '../oidc/cie-claims.js';
import type { Language } from '../shared/language.js';
import type { AccessHistoryRecord } from './access-history.js';
import { historyMessagesFor } from './access-history-messages.js';
import { displayDate } from './display-date.js';

/** One line of "Storico dei tuoi accessi": when, service, event, level, attributes released. */
export function historyRow(record: AccessHistoryRecord, lang: Language) {
  const h = historyMessagesFor(lang);
  const { details } = record;
  const released = Array.isArray(details.attributes) ? (details.attributes as string[]).map((claim) => claimLabels[claim]?.[lang] ?? claim).join(', ') : '';
  return {
    kind: record.kind,
    when: displayDate(Date.parse(record.recordedAt) / 1000, lang),
    service: record.clientId ?? '',
    event: record.kind === 'consent' ? h.consentEvent : record.kind === 'management' ? h.managementEvent(String(details.action)) : h.signInEvent(String(details.outcome)),
    level: typeof details.acr === 'string' ? h.levelName(details.acr) : '',
    released,
  };
}
