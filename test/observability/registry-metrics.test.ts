import { metricsRegistry } from '../../src/observability/metrics.js';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import type { Database } from '../../src/storage/database/database.js';
import { usePgliteRegistry } from '../registry/support/registry-backends.js';
import { newRegistry, recordLogin } from '../registry/support/registry-scenarios.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';

// The access registry's write path (AccessRegistry's append) feeds the registry write metrics.
const pglite = usePgliteRegistry();

const samples = async () => parsePrometheusText(await metricsRegistry.metrics());

test('each record written is timed by kind; a write the database refuses is counted as an error with its code', async () => {
  const registry = await newRegistry(pglite.backend, pglite.keys);
  const before = await samples();
  await recordLogin(registry);
  const after = await samples();
  const written = (kind: string) => total(after, 'cie_registry_write_duration_seconds_count', { kind, outcome: 'ok' }) - total(before, 'cie_registry_write_duration_seconds_count', { kind, outcome: 'ok' });
  expect([written('authentication'), written('consent'), written('exchange')]).toEqual([1, 1, 2]);

  // The database goes away under a ready registry: the next write fails and is counted.
  const db: Database = await pglite.backend.open();
  let down = false;
  const flaky: Database = {
    ...db,
    query: (...args: Parameters<Database['query']>) => db.query(...args),
    transaction: (work) => (down ? Promise.reject(Object.assign(new Error('connection terminated'), { code: 'registry_unavailable' })) : db.transaction(work)),
  };
  const broken = new AccessRegistry(flaky, pglite.keys);
  await broken.ready();
  down = true;
  await expect(broken.recordConsent({ clientId: 'https://rp.example.it', accountId: 'TINIT-RSSMRA85T10A562S', grantId: 'g', scopes: ['openid'], released: {}, offlineAccess: false })).rejects.toThrow('connection terminated');
  const failed = await samples();
  expect(total(failed, 'cie_registry_write_errors_total', { kind: 'consent', code: 'registry_unavailable' }) - total(after, 'cie_registry_write_errors_total', { kind: 'consent', code: 'registry_unavailable' })).toBe(1);
  expect(total(failed, 'cie_registry_write_duration_seconds_count', { kind: 'consent', outcome: 'error' })).toBe(1);
});

test('a write that fails because the database never opened (or is down since the start) is counted too: the alert on write errors fires', async () => {
  const before = await samples();
  const neverOpened = Promise.reject(Object.assign(new Error('the embedded registry is open in another process'), { code: 'registry_unavailable' }));
  const registry = new AccessRegistry(neverOpened, pglite.keys);
  await expect(registry.recordAuthentication({ clientId: 'https://rp.example.it', method: 'cie-card', outcome: 'authenticated' })).rejects.toThrow('open in another process');
  const after = await samples();
  expect(total(after, 'cie_registry_write_errors_total', { kind: 'authentication', code: 'registry_unavailable' }) - total(before, 'cie_registry_write_errors_total', { kind: 'authentication', code: 'registry_unavailable' })).toBe(1);
});
