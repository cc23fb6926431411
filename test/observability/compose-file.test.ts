import { existsSync, readFileSync } from 'node:fs';
import { loadProviderConfig } from '../../src/config/config.js';
import { providerOptions } from '../../src/config/options.js';

// compose.yaml is read line by line (no YAML parser among the dependencies): it is kept to the
// block style this reader understands — two-space indents, `KEY: value` maps, no anchors.
const lines = readFileSync('compose.yaml', 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));

/** The lines nested under the line `header` (at its indent), up to the next line at that indent or less. */
function block(from: string[], header: string): string[] {
  const start = from.findIndex((line) => line === header);
  if (start < 0) throw new Error(`no "${header.trim()}" in compose.yaml`);
  const indent = header.length - header.trimStart().length;
  const body: string[] = [];
  for (const line of from.slice(start + 1)) {
    if (line.length - line.trimStart().length <= indent) break;
    body.push(line);
  }
  return body;
}

const keysAt = (from: string[], indent: number) => from.filter((line) => new RegExp(`^ {${indent}}[A-Za-z_][\\w-]*:`).test(line)).map((line) => line.trim().split(':')[0]!);
const mapAt = (from: string[], indent: number) => Object.fromEntries(from.filter((line) => new RegExp(`^ {${indent}}[A-Za-z_]\\w*:`).test(line)).map((line) => {
  const [key, ...rest] = line.trim().split(':');
  return [key!, rest.join(':').trim().replace(/^"(.*)"$/, '$1')];
}));

const services = block(lines, 'services:');

/** The one-shot service's commands, each as [the package's bin it runs, its arguments…]; steps joined by `&&` only. */
function migrationSteps(service: string[]): string[][] {
  const command = JSON.parse(/^ {4}command: (\[.*\])$/.exec(service.find((line) => line.startsWith('    command:')) ?? '')?.[1] ?? '[]') as string[];
  expect(command.slice(0, 2)).toEqual(['sh', '-c']);
  const bins = Object.entries((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin);
  return command[2]!.split(' && ').map((step) => {
    const [node, script, ...args] = step.trim().split(/\s+/);
    expect(node).toBe('node');
    return [bins.find(([, path]) => path === script)?.[0] ?? `not a bin: ${script}`, ...args];
  });
}
const provider = block(services, '  provider:');
const environment = mapAt(block(provider, '    environment:'), 6);

test('the provider built from the Dockerfile, the registry migration before it, Redis and PostgreSQL, each store with a health check', () => {
  expect(keysAt(services, 2)).toEqual(['provider', 'registry-migrate', 'redis', 'postgres']);
  expect(provider).toContain('    build: .');
  expect(existsSync('Dockerfile')).toBe(true);
  for (const store of ['redis', 'postgres']) {
    expect(block(services, `  ${store}:`).some((line) => line.trim().startsWith('healthcheck:'))).toBe(true);
    expect(block(block(provider, '    depends_on:'), `      ${store}:`)).toEqual(['        condition: service_healthy']);
  }
  expect(keysAt(block(lines, 'volumes:'), 2)).toEqual(['redis-data', 'registry-data']);
});

test('every variable the provider service sets is a setting of src/config/options.ts', () => {
  const known = new Set<string>(Object.values(providerOptions).map((option) => option.env));
  expect(Object.keys(environment).length).toBeGreaterThan(10);
  expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
});

test('the provider\'s settings form a valid production configuration pointing at the other two services', () => {
  // Compose's ${VAR:?message} placeholders get example values, as an operator's environment would.
  const values: Record<string, string> = { ISSUER: 'https://id.example.it', REDIS_PASSWORD: 'r'.repeat(32), POSTGRES_PASSWORD: 'p'.repeat(32), PROVIDER_DB_PASSWORD: 'q'.repeat(32), METRICS_TOKEN: 'm'.repeat(40) };
  const resolved = Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value.replace(/\$\{(\w+):\?[^}]*\}/g, (_match, variable: string) => values[variable]!)]));
  const config = loadProviderConfig(resolved);
  expect(config.issuer).toBe('https://id.example.it');
  expect(config.generateKeys).toBe(false);
  expect(new URL(config.redisUrl).hostname).toBe('redis');
  expect(new URL(config.registry.databaseUrl).hostname).toBe('postgres');
  // Off the loopback inside the compose network, so only with the token; not published on the host.
  expect(config.observability.metrics).toEqual({ port: 9464, host: '0.0.0.0', token: values.METRICS_TOKEN });
  expect(block(provider, '    ports:')).toEqual(['      - "127.0.0.1:3000:3000"']);
  expect(block(provider, '    expose:')).toEqual(['      - "9464"']);
  // Docker must wait for the drain (docs/storage.md, graceful shutdown) before it kills the process.
  const grace = Number(/stop_grace_period: (\d+)s/.exec(provider.join('\n'))?.[1]);
  expect(grace).toBeGreaterThanOrEqual(config.shutdownDelaySeconds + 10);
});

test('least privilege: the provider connects as its own role, the migration runs first as the owner and grants it', () => {
  const values: Record<string, string> = { PROVIDER_DB_PASSWORD: 'q'.repeat(32), POSTGRES_PASSWORD: 'p'.repeat(32) };
  const resolve = (value: string) => value.replace(/\$\{(\w+):\?[^}]*\}/g, (_match, variable: string) => values[variable]!);
  expect(new URL(resolve(environment.DATABASE_URL!)).username).toBe('cie_provider');
  expect(block(block(provider, '    depends_on:'), '      registry-migrate:')).toEqual(['        condition: service_completed_successfully']);
  const migration = block(services, '  registry-migrate:');
  // The registry's migrations, then the credentials' (levels 1 and 2, docs/levels.md); a failure of the first stops the second and the provider.
  expect(migrationSteps(migration)).toEqual([['cie-registry', 'migrate'], ['cie-credentials', 'migrate']]);
  const migrationEnvironment = mapAt(block(migration, '    environment:'), 6);
  const known = new Set<string>(Object.values(providerOptions).map((option) => option.env));
  expect(Object.keys(migrationEnvironment).filter((name) => !known.has(name))).toEqual([]);
  const config = loadProviderConfig(Object.fromEntries(Object.entries(migrationEnvironment).map(([name, value]) => [name, resolve(value)])));
  expect(new URL(config.registry.ownerUrl).username).toBe('cie');
  expect(new URL(config.registry.databaseUrl).username).toBe('cie_provider');
  // The role itself is made once by the postgres image's init script, which the provider's password reaches.
  expect(block(services, '  postgres:')).toContain('      - ./deploy/postgres-init:/docker-entrypoint-initdb.d:ro');
  expect(readFileSync('deploy/postgres-init/10-provider-role.sh', 'utf8')).toMatch(/CREATE ROLE cie_provider LOGIN PASSWORD :'pw'/);
});
