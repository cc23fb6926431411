import type { AccessHistoryRecord } from './access-history.js';

const COLUMNS = ['seq', 'recorded_at', 'kind', 'client_id', 'details', 'personal'] as const;

/** RFC 4180 field; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The citizen's download as CSV: one line per record, details and personal data as JSON. */
export function historyCsv(records: AccessHistoryRecord[]): string {
  const lines = records.map((record) => [String(record.seq), record.recordedAt, record.kind, record.clientId ?? '', JSON.stringify(record.details), record.personal ? JSON.stringify(record.personal) : ''].map(csvField).join(','));
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
