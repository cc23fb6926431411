/** "DE ROSSI-D'AMICO" → "De Rossi-D'Amico": the CIE profile wants each word capitalised. */
export function capitaliseWords(name: string): string {
  return name
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('it-IT')
    .replace(/(^|[\s'’-])(\p{L})/gu, (_, separator: string, letter: string) => separator + letter.toLocaleUpperCase('it-IT'));
}
