// Prints the README's configuration table from src/config/options.ts (the single source of truth).
import { bridgeOptions, providerOptions, type OptionSpec } from '../src/config/options.js';

function table(title: string, options: Record<string, OptionSpec>): string {
  const rows = Object.values(options).map((o) => `| \`${o.env}\` | ${o.default ? `\`${o.default}\`` : '(empty)'} | ${o.description} |`);
  return [`**${title}**`, '', '| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

console.log([table('Provider', providerOptions), '', table('Bridge', bridgeOptions)].join('\n'));
