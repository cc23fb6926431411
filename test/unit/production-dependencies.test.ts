import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { importsOf, packageName, reachableFrom, sourceFiles } from '../support/import-graph.js';
import { readComposeFile } from '../observability/support/compose-project.js';
import { buildCompilation, runtimeImage } from '../observability/support/dockerfile-stages.js';

// The production image installs `npm ci --omit=dev --omit=optional` (Dockerfile, stage deps): every
// package the provider and the commands compose runs load must be a dependency, not a dev or optional one.

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}
interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
const root = resolve('src');
const files = sourceFiles(root);
const builtins = new Set(builtinModules);

/** `dist/src/x/y.js` (what the image runs) → `src/x/y.ts` (what it is compiled from). */
function sourceOf(distPath: string): string {
  const match = /^dist\/(src\/.+)\.js$/.exec(distPath);
  if (!match) throw new Error(`${distPath}: not a compiled file of src/`);
  return resolve(`${match[1]}.ts`);
}

/** The image's entry points: its CMD, and every `node <script>` a compose service runs with it. */
function entryPoints(): string[] {
  const image = runtimeImage();
  const compose = readComposeFile();
  const scripts = [image.cmd.slice(1, 2)[0]!];
  for (const service of Object.values(compose.services)) {
    if (service.image !== compose.services.provider!.image || !service.command) continue;
    const shell = service.command[0] === 'sh' ? service.command[2]! : service.command.join(' ');
    for (const match of shell.matchAll(/\bnode\s+(\S+)/g)) scripts.push(match[1]!);
  }
  expect(image.cmd[0]).toBe('node');
  return [...new Set(scripts)].map(sourceOf);
}

const entries = entryPoints();
const reached = [...new Set(entries.flatMap((entry) => reachableFrom(entry, files)))];
const packagesReached = new Map<string, string[]>();
for (const file of reached) {
  for (const specifier of importsOf(file).bare) {
    if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
    const name = packageName(specifier);
    packagesReached.set(name, [...(packagesReached.get(name) ?? []), relative(root, file)]);
  }
}

test('the entry points are the provider server and the commands compose runs, and the walk reaches what they run', () => {
  expect(entries.map((entry) => relative(root, entry)).sort()).toEqual(['credentials/cli.ts', 'registry/cli.ts', 'server.ts']);
  expect(reached.map((file) => relative(root, file))).toEqual(expect.arrayContaining(['provider-app.ts', 'sign-in/card/card-sign-in.ts', 'registry/migrations.ts', 'credentials/credentials-migrations.ts']));
  expect([...packagesReached.keys()]).toEqual(expect.arrayContaining(['oidc-provider', 'ioredis', 'pg', 'jose']));
});

test('every package the image\'s code loads is a dependency, installed by `npm ci --omit=dev --omit=optional`', () => {
  const notDependencies = [...packagesReached].filter(([name]) => !manifest.dependencies[name]).map(([name, from]) => `${name} (from ${from.join(', ')})`);
  expect(notDependencies).toEqual([]);
  // The lock file marks what only dev or optional dependencies pull in: those are not in the image.
  const omitted = [...packagesReached.keys()].filter((name) => {
    const entry = lock.packages[join('node_modules', name)];
    return !entry || entry.dev || entry.optional || entry.devOptional;
  });
  expect(omitted).toEqual([]);
});

test('no optional dependency (pcsclite: the bridge\'s) is reached, not even through a computed import()', () => {
  expect([...packagesReached.keys()].filter((name) => manifest.optionalDependencies[name])).toEqual([]);
  const computed = reached.filter((file) => importsOf(file).computed > 0).map((file) => relative(root, file));
  expect(computed).toEqual([]);
  // The walk does see them where they are: the bridge loads pcsclite with a computed import().
  const bridge = reachableFrom(join(root, 'bridge', 'cli.ts'), files);
  expect(bridge.filter((file) => importsOf(file).computed > 0).map((file) => relative(root, file))).toEqual(['transport/pcsc/load-pcsclite.ts']);
});

test('the build stage copies everything its compilation reads, and .dockerignore keeps none of it out', () => {
  const build = buildCompilation();
  expect(build.include).toEqual(['src']);
  expect(build.copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', build.config, ...build.include]));
  // Every relative import of every compiled file stays inside what is copied: tsc would fail on any other.
  const compiled = build.include.flatMap((include) => sourceFiles(resolve(include)));
  const insideCopies = (target: string) => build.copied.some((path) => target === resolve(path) || target.startsWith(`${resolve(path)}/`));
  const outside = compiled.flatMap((file) => importsOf(file, { typesToo: true }).relative.filter((target) => !insideCopies(target) || !existsSync(target)).map((target) => `${relative(process.cwd(), file)} → ${relative(process.cwd(), target)}`));
  expect(outside).toEqual([]);
  const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const copiedFromContext = [...build.copied, ...runtimeImage().copies.filter((copy) => !copy.from).map((copy) => copy.source)];
  expect(copiedFromContext.filter((path) => ignored.some((pattern) => path === pattern || path.startsWith(`${pattern}/`)))).toEqual([]);
  // The operator's secrets never reach the build (nor, deploy/.gitignore, the repository).
  expect(ignored).toEqual(expect.arrayContaining(['keys', 'deploy', 'var']));
  expect(readFileSync('deploy/.gitignore', 'utf8').split('\n')).toEqual(expect.arrayContaining(['keys/', 'clients.json', 'cie/']));
});

test('the packages whose files are served by path from node_modules (the style kit, the fonts) are dependencies too', () => {
  // Read with readFileSync(join(root, 'node_modules', …)), not imported: the import walk cannot see them.
  const byPath = reached.filter((file) => readFileSync(file, 'utf8').includes("'node_modules'")).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/['"`]((?:@[\w.-]+\/)?[\w.-]+)\/[^'"`\s]+['"`]/g)].map((match) => match[1]!).filter((name) => lock.packages[join('node_modules', name)]),
  );
  expect(byPath).toEqual(expect.arrayContaining(['bootstrap-italia', '@fontsource/titillium-web']));
  expect([...new Set(byPath)].filter((name) => !manifest.dependencies[name])).toEqual([]);
});
