import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { ProviderConfig } from './config/config.js';
import type { AccessHistory } from './account/access-history.js';
import type { LoginRecords } from './interaction/login-records.js';
import { StorageUnavailableError } from './storage/storage-unavailable-error.js';
import type { StateStore } from './storage/state-store.js';
import type { StorageOutageWatch } from './storage/guard/storage-outage-watch.js';
import { AccessRegistry } from './registry/access-registry.js';
import { recordExchanges } from './registry/exchange-recorder.js';
import type { Database } from './storage/database/database.js';
import { DatabaseError, DatabaseUnavailableError } from './storage/database/database-error.js';
import { openDatabase } from './storage/database/open-database.js';
import { RegistryUnavailableError } from './registry/registry-error.js';
import { loadRegistryKeys } from './registry/registry-keys.js';
import { capturedRequestObject, captureRequestObjects } from './registry/request-capture.js';
import { loggerFor } from './shared/logger.js';

const registryLog = loggerFor('registry');

const providerDatabases = new WeakMap<ProviderConfig, Promise<Database>>();

/**
 * The provider's durable database (DATABASE_URL, or PGlite in REGISTRY_DIR), opened once per
 * configuration in the background and shared by every room that keeps durable records (the
 * registry; the credentials next): the embedded one is locked per process, and one pool is enough.
 * One that cannot be opened at all (the embedded directory locked by another process, not writable)
 * is logged as an error once and rejects as `database_unavailable`: every caller answers 503.
 */
export function openProviderDatabase(config: ProviderConfig): Promise<Database> {
  let database = providerDatabases.get(config);
  if (!database) {
    database = Promise.resolve()
      .then(() => openDatabase(config.registry))
      .catch((error: unknown) => {
        if (error instanceof DatabaseUnavailableError) throw error;
        registryLog.error({ event: 'registry_open_failed', error }, `registry: cannot open the access registry: ${(error as Error).message}; every login answers 503 until it is fixed and the provider restarted`);
        // An outage for the callers (the 503 page, /readyz), not a bare 500 on every login.
        throw new DatabaseUnavailableError(error);
      });
    database.catch(() => {});
    providerDatabases.set(config, database);
  }
  return database;
}

/** Closes the provider's shared database if it was opened (the demo's and the test stacks' shutdown; server.ts closes it through the registry). */
export async function closeProviderDatabase(config: ProviderConfig): Promise<void> {
  const database = providerDatabases.get(config);
  providerDatabases.delete(config);
  await database?.then((db) => db.close(), () => undefined);
}

/**
 * The access registry of the provider process, on the provider's database; keys in KEYS_DIR (read
 * now: a missing key stops the start). The database is opened and migrated in the background — the
 * embedded one takes seconds (WebAssembly, initdb on first use) and the provider listens meanwhile
 * (not ready until then, /readyz); a login that comes first waits for it. A database that does not
 * answer is an outage, not a reason not to start: logins answer 503 until it does, and the
 * migrations run at the first write. A schema behind the code that the provider's role may not
 * migrate (least privilege) is logged as an error naming the command; logins answer 503 until the
 * owner has run it, then work without a restart (docs/registry.md).
 */
export async function openProviderRegistry(config: ProviderConfig, log: (line: string) => void = (line) => registryLog.warn(line)): Promise<AccessRegistry> {
  const keys = await loadRegistryKeys(config.keysDir, config.generateKeys, config.registry.key);
  let openFailed = false;
  // Opening connects to nothing (the pool connects at the first statement): a rejection here is a
  // database that cannot be opened at all, already logged.
  const database = openProviderDatabase(config).catch((error: unknown) => {
    openFailed = true;
    throw error;
  });
  const registry = new AccessRegistry(database, keys);
  registry.ready().catch((error: unknown) => {
    if (openFailed) return;
    const behind = error instanceof RegistryUnavailableError && error.cause instanceof DatabaseError && error.cause.code === 'database_schema_behind';
    if (behind) registryLog.error({ event: 'registry_schema_behind', error }, `registry: ${(error.cause as Error).message}; every login answers 503 until then`);
    else if (error instanceof RegistryUnavailableError) log(`registry: database not reachable at start (${error.message}); starting anyway: logins answer 503 until it is`);
    else registryLog.error({ event: 'registry_migration_failed', error }, `registry: cannot migrate the access registry: ${(error as Error).message}`);
  });
  return registry;
}

/** A registry call whose database is down becomes the storage outage the guard answers with 503. */
function guarded<T>(watch: StorageOutageWatch, call: () => Promise<T>): Promise<T> {
  return watch.observe(async () => {
    try {
      return await call();
    } catch (error) {
      // Named as the registry: the outage's log line must send the operator to the database, not to Redis.
      throw error instanceof RegistryUnavailableError ? new StorageUnavailableError(error.cause ?? error, "the access registry's database") : error;
    }
  });
}

/** The login steps' records (interaction/login-records.ts) written to the registry. */
export function registryLoginRecords(registry: Pick<AccessRegistry, 'recordAuthentication' | 'recordConsent'>, store: Pick<StateStore, 'get' | 'put'>, watch: StorageOutageWatch, trustChainOf: (clientId: string) => Record<string, unknown> | undefined = () => undefined): LoginRecords {
  return {
    async signIn(record) {
      const requestObject = await capturedRequestObject(store, record.interactionUid);
      const trustChain = trustChainOf(record.clientId);
      const { interactionUid: _uid, ...entry } = record;
      await guarded(watch, () => registry.recordAuthentication({ ...entry, ...(requestObject ? { requestObject } : {}), ...(trustChain ? { trustChain } : {}) }));
    },
    async consent(record) {
      await guarded(watch, () => registry.recordConsent(record));
    },
  };
}

/**
 * The trust chain an RP registered through the federation was trusted by, as the profile's log rules
 * ask (the RP's entity configuration, the subordinate statements, the anchor's): taken from the
 * chain cache, never fetched for the record. Static RPs have none.
 */
export function cachedTrustChain(chains: { cached(subject: string): { trustAnchor: string; exp: number; statements: string[] } | undefined } | undefined): (clientId: string) => Record<string, unknown> | undefined {
  return (clientId) => {
    const chain = chains?.cached(clientId);
    return chain && { trust_anchor: chain.trustAnchor, exp: chain.exp, statements: chain.statements };
  };
}

/** The account page's history of the citizen's accesses (account/access-history.ts). */
export function registryAccessHistory(registry: AccessRegistry, watch: StorageOutageWatch): AccessHistory {
  return {
    list: (accountId) => guarded(watch, () => registry.listForAccount(accountId, ['authentication', 'consent', 'management'])),
    manage: async (entry) => {
      await guarded(watch, () => registry.recordManagement(entry));
    },
    download: (accountId) => guarded(watch, () => registry.exportForHolder(accountId)),
  };
}

/** The middleware that keep the authorization request and record the token, userinfo and revocation exchanges. */
export function registryMiddleware(provider: Provider, registry: AccessRegistry, store: StateStore, watch: StorageOutageWatch): Middleware[] {
  const paths = { token: provider.pathFor('token'), userinfo: provider.pathFor('userinfo'), revocation: provider.pathFor('revocation') };
  return [
    captureRequestObjects(provider.pathFor('authorization'), store),
    recordExchanges(paths, async (entry) => {
      await guarded(watch, () => registry.recordExchange(entry));
    }),
  ];
}

/** Signed checkpoints and the retention purge every REGISTRY_CHECKPOINT_INTERVAL seconds; returns the stop. */
export function startRegistryMaintenance(registry: AccessRegistry, config: ProviderConfig, log: (line: string) => void = (line) => registryLog.warn(line)): () => void {
  const seconds = config.registry.checkpointIntervalSeconds;
  if (seconds === 0) return () => {};
  const run = async () => {
    try {
      const purged = await registry.purge(config.registry.retentionMonths);
      if (purged.removed > 0) log(`registry: purged ${purged.removed} records older than ${config.registry.retentionMonths} months (up to #${purged.cut})`);
    } catch (error) {
      // SQLSTATE 42501: the provider's least-privilege role may not delete records; the owner purges.
      if ((error as { code?: unknown }).code === '42501') registryLog.warn({ event: 'registry_purge_needs_owner' }, `registry: records older than ${config.registry.retentionMonths} months are due and the provider's role may not delete them: run \`cie-registry purge\` with DATABASE_OWNER_URL (schedule it)`);
      else log(`registry: purge failed, retried in ${seconds} s: ${(error as Error).message}`);
    }
    try {
      const checkpoint = await registry.checkpoint();
      // A copy of the chain's head outside the database (the shipped log): one who can rewrite the
      // database, checkpoints included, cannot rewrite this; verify's result is compared with it.
      if (checkpoint) registryLog.info({ event: 'registry_checkpoint', seq: checkpoint.seq, hash: checkpoint.hash }, `registry: checkpoint signed at #${checkpoint.seq}`);
    } catch (error) {
      log(`registry: checkpoint failed, retried in ${seconds} s: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => void run(), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
