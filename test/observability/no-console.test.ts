import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Production code logs through src/shared/logger.ts (JSON, redacted, with the request id). The only
 * console calls left are command-line tools' human output, listed here one by one.
 */
const HUMAN_CLI_OUTPUT: Record<string, number> = {
  'simulator/pki-cli.ts': 2,
  'simulator/federation/main.ts': 2,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

test('no console.log / info / warn / error / debug in src/, except the listed CLI output', () => {
  const found: Record<string, number> = {};
  for (const file of sourceFiles('src')) {
    // Comments may name them; code may not.
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const calls = code.match(/\bconsole\s*\.\s*(log|info|warn|error|debug|trace)\b/g)?.length ?? 0;
    if (calls > 0) found[relative('src', file)] = calls;
  }
  expect(found).toEqual(HUMAN_CLI_OUTPUT);
});
