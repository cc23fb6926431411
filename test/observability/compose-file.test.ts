import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadProviderConfig } from '../../src/config/config.js';
import { providerOptions } from '../../src/config/options.js';
import { readComposeFile, resolveComposeFile } from './support/compose-project.js';

// compose.yaml's shape and settings; test/observability/compose-rehearsal.test.ts runs its services.
const written = readComposeFile();
// Compose's ${VAR:?message} placeholders get example values, as an operator's environment would.
const operator = { ISSUER: 'https://id.example.it', REDIS_PASSWORD: 'r'.repeat(32), POSTGRES_PASSWORD: 'p'.repeat(32), PROVIDER_DB_PASSWORD: 'q'.repeat(32), METRICS_TOKEN: 'm'.repeat(40) };
const compose = resolveComposeFile(operator);
const provider = compose.services.provider!;
const migration = compose.services['registry-migrate']!;
const known = new Set<string>(Object.values(providerOptions).map((option) => option.env));

test('the provider built from the Dockerfile, the registry migration before it, Redis and PostgreSQL, each store with a health check', () => {
  expect(Object.keys(compose.services)).toEqual(['provider', 'registry-migrate', 'redis', 'postgres']);
  expect(provider.build).toBe('.');
  expect(existsSync('Dockerfile')).toBe(true);
  for (const store of ['redis', 'postgres']) {
    expect(compose.services[store]!.healthcheck?.test[0]).toBe('CMD-SHELL');
    expect(provider.depends_on?.[store]).toEqual({ condition: 'service_healthy' });
  }
  expect(Object.keys(compose.volumes)).toEqual(['redis-data', 'registry-data']);
});

test('compose refuses to start without each secret the operator must export', () => {
  for (const missing of Object.keys(operator)) {
    const partial: Record<string, string> = { ...operator };
    delete partial[missing];
    expect(() => resolveComposeFile(partial)).toThrow(new RegExp(`required variable ${missing} is missing`));
  }
});

test('every variable the provider service sets is a setting of src/config/options.ts', () => {
  const environment = written.services.provider!.environment!;
  expect(Object.keys(environment).length).toBeGreaterThan(10);
  expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
});

test('the provider\'s settings form a valid production configuration pointing at the other two services', () => {
  const config = loadProviderConfig(provider.environment!);
  expect(config.issuer).toBe('https://id.example.it');
  expect(config.generateKeys).toBe(false);
  expect(new URL(config.redisUrl).hostname).toBe('redis');
  expect(new URL(config.registry.databaseUrl).hostname).toBe('postgres');
  // Off the loopback inside the compose network, so only with the token; not published on the host.
  expect(config.observability.metrics).toEqual({ port: 9464, host: '0.0.0.0', token: operator.METRICS_TOKEN });
  expect(provider.ports).toEqual(['127.0.0.1:3000:3000']);
  expect(provider.expose).toEqual(['9464']);
  // Docker must wait for the drain (docs/storage.md, graceful shutdown) before it kills the process.
  const grace = Number(/^(\d+)s$/.exec(provider.stop_grace_period ?? '')?.[1]);
  expect(grace).toBeGreaterThanOrEqual(config.shutdownDelaySeconds + 10);
});

test('least privilege: the provider connects as its own role, the migration runs first as the owner and grants it', () => {
  expect(new URL(provider.environment!.DATABASE_URL!).username).toBe('cie_provider');
  expect(provider.depends_on?.['registry-migrate']).toEqual({ condition: 'service_completed_successfully' });
  // The registry's migrations, then the credentials' (levels 1 and 2, docs/levels.md); a failure of the first stops the second and the provider.
  const [shell, flag, script] = migration.command!;
  expect([shell, flag]).toEqual(['sh', '-c']);
  const bins = Object.entries((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin);
  const steps = script!.split(' && ').map((step) => {
    const [node, path, ...args] = step.trim().split(/\s+/);
    expect(node).toBe('node');
    return [bins.find(([, bin]) => bin === path)?.[0] ?? `not a bin: ${path}`, ...args];
  });
  expect(steps).toEqual([['cie-registry', 'migrate'], ['cie-credentials', 'migrate']]);
  expect(Object.keys(migration.environment!).filter((name) => !known.has(name))).toEqual([]);
  const config = loadProviderConfig(migration.environment!);
  expect(new URL(config.registry.ownerUrl).username).toBe('cie');
  expect(new URL(config.registry.databaseUrl).username).toBe('cie_provider');
  // The role itself is made once by the postgres image's init script, which the provider's password reaches;
  // the image runs an init script only if it is executable (it sources it otherwise).
  expect(compose.services.postgres!.volumes).toContain('./deploy/postgres-init:/docker-entrypoint-initdb.d:ro');
  expect(readFileSync('deploy/postgres-init/10-provider-role.sh', 'utf8')).toMatch(/CREATE ROLE cie_provider LOGIN PASSWORD :'pw'/);
  expect(statSync('deploy/postgres-init/10-provider-role.sh').mode & 0o111).toBe(0o111);
});
