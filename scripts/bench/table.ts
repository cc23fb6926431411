/** Prints a titled, column-aligned text table (first column left-aligned, the others right-aligned). */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

/** Fixed decimals, for milliseconds and rates. */
export const fixed = (value: number, decimals = 2): string => value.toFixed(decimals);

/** "median (p10–p90)" of a summary, in the summary's unit. */
export const spread = (summary: { median: number; p10: number; p90: number }, decimals = 2): string =>
  `${fixed(summary.median, decimals)} (${fixed(summary.p10, decimals)}–${fixed(summary.p90, decimals)})`;
