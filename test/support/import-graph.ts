import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The module graph of the TypeScript sources, read from their import lines (no compiler needed):
// the layering rules (test/unit/layering.test.ts) and what the production image must install
// (test/unit/production-dependencies.test.ts) both walk it.

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** What one file loads at run time. Type-only imports (`import type`, `export type … from`) are erased by tsc and left out. */
export interface FileImports {
  /** Relative specifiers resolved to the .ts source they compile from. */
  relative: string[];
  /** Package specifiers as written (`koa`, `@koa/router`, `node:fs`, `pg/lib/x`). */
  bare: string[];
  /** `import(expression)` whose specifier is not a string literal: what it loads cannot be read here. */
  computed: number;
}

const STATIC = /(?:^|[;\n])\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const STATIC_AND_TYPES = /(?:^|[;\n])\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\s*\(\s*(['"]?)([^'")]*)\1\s*\)/g;

/** `typesToo`: also the type-only imports (what the compiler reads, rather than what runs). */
export function importsOf(file: string, options: { typesToo?: boolean } = {}): FileImports {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(options.typesToo ? STATIC_AND_TYPES : STATIC)].map((match) => match[1]!);
  let computed = 0;
  for (const match of text.matchAll(DYNAMIC)) {
    if (match[1]) specifiers.push(match[2]!);
    else computed += 1;
  }
  const relativeOnes = specifiers.filter((specifier) => specifier.startsWith('.'));
  return {
    relative: relativeOnes.map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts')),
    bare: specifiers.filter((specifier) => !specifier.startsWith('.')),
    computed,
  };
}

/** Every source file reachable from `entry` through relative imports, static and dynamic (absolute paths); `typesToo` as for importsOf. */
export function reachableFrom(entry: string, within: readonly string[], options: { typesToo?: boolean } = {}): string[] {
  const known = new Set(within);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !known.has(file)) return;
    seen.add(file);
    for (const next of importsOf(file, options).relative) visit(next);
  };
  visit(entry);
  return [...seen];
}

/** `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function relativeTo(root: string, files: string[]): string[] {
  return files.map((file) => relative(root, file));
}
