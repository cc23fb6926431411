import type { LoginMeasurements } from './card-logins.js';
import { fixed, printTable, spread } from './table.js';

/** One column per way of reaching the card; medians with p10–p90 for the timings. */
export function printLoginTable(title: string, columns: readonly { name: string; logins: LoginMeasurements }[]): void {
  const row = (label: string, cell: (logins: LoginMeasurements) => string) => [label, ...columns.map(({ logins }) => cell(logins))];
  printTable(title, ['per login (median; p10–p90)', ...columns.map(({ name }) => name)], [
    row('logins measured', (m) => String(m.totalMs.count)),
    row('APDUs', (m) => fixed(m.apdus.median, 0)),
    row('bytes sent (host → card)', (m) => fixed(m.bytesSent.median, 0)),
    row('bytes received (card → host)', (m) => fixed(m.bytesReceived.median, 0)),
    row('authenticate, ms', (m) => spread(m.totalMs)),
    row('  in the card (transmit), ms', (m) => spread(m.cardMs)),
    row('  transport (transmit wait − card), ms', (m) => spread(m.transportMs)),
    row('  host protocol work, ms', (m) => spread(m.hostMs)),
    row('transport per APDU, ms', (m) => fixed(m.transportMs.median / m.apdus.median, 3)),
    row('card share of the login', (m) => `${fixed((100 * m.cardMs.median) / m.totalMs.median, 0)} %`),
    row('bench process CPU, ms', (m) => spread(m.processCpuMs)),
  ]);
}
