#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadProviderConfig, MIN_RETENTION_MONTHS } from '../config/config.js';
import { configureLogging, loggerFor } from '../shared/logger.js';
import { AccessRegistry } from './access-registry.js';
import { migrate } from '../storage/database/migrate.js';
import { registryMigrations } from './migrations.js';
import { openRegistryDatabase } from './registry-database.js';
import { RegistryError } from './registry-error.js';
import { loadRegistryKeys, REGISTRY_KEYS_FILE } from './registry-keys.js';

const USAGE = `cie-registry — the access registry (docs/registry.md); settings from the provider's environment
  (DATABASE_URL or REGISTRY_DIR, DATABASE_OWNER_URL for migrate, purge and checkpoint, KEYS_DIR, REGISTRY_KEY,
  REGISTRY_RETENTION_MONTHS)

  cie-registry keys                         create KEYS_DIR/registry-keys.json if missing (then keep it safe: it opens the records)
  cie-registry migrate                      apply pending schema migrations (as DATABASE_OWNER_URL when set, granting DATABASE_URL's role)
  cie-registry verify [--from N] [--to N]   prove records N…M intact; names the first broken record (exit 2)
  cie-registry checkpoint                   sign the chain's head now
  cie-registry purge [--months N]           remove records older than the retention (default REGISTRY_RETENTION_MONTHS)
  cie-registry extract --requester "NAME, OFFICE" --legal-basis "…"
                       [--fiscal-code CF] [--client CLIENT_ID] [--from ISO-DATE] [--to ISO-DATE] [--out FILE]
                                            extract records for a court, a supervisor or the holder; the
                                            extraction is recorded in the chain before anything is read`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** The account id of a citizen (the provider's `TINIT-<fiscal code>`, oidc/accounts.ts `accountIdFor`). */
function accountOf(fiscalCode: string): string {
  return `TINIT-${fiscalCode.trim().toUpperCase()}`;
}

function date(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) throw new RegistryError('registry_usage', `--${name} must be an ISO date, got "${text}"`);
  return value;
}

function positive(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RegistryError('registry_usage', `--${name} must be a positive integer, got "${text}"`);
  return value;
}

/** Runs one command; resolves to the exit code (0 done, 1 error, 2 broken chain). */
export async function runRegistryCli(argv: string[], env: Record<string, string | undefined> = process.env, io: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        from: { type: 'string' }, to: { type: 'string' }, months: { type: 'string' }, requester: { type: 'string' },
        'legal-basis': { type: 'string' }, 'fiscal-code': { type: 'string' }, client: { type: 'string' }, out: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (!command || !['keys', 'migrate', 'verify', 'checkpoint', 'purge', 'extract'].includes(command)) {
    io.err(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
  }
  let registry: AccessRegistry | undefined;
  try {
    const config = loadProviderConfig(env);
    if (command === 'keys') {
      const created = await loadRegistryKeys(config.keysDir, true, config.registry.key);
      io.out(`${join(config.keysDir, REGISTRY_KEYS_FILE)}: sealing key ${created.encryption[0]!.kid}, signing key ${created.signing[0]!.kid}`);
      return 0;
    }
    // Otherwise keys are never generated here: they belong to the provider that wrote the records.
    const keys = await loadRegistryKeys(config.keysDir, false, config.registry.key);
    // Schema changes, the purge's deletions and checkpoints run as the tables' owner; reading and
    // appending (verify, extract) as the provider's role, which is enough (docs/registry.md, "Roles").
    const asOwner = ['migrate', 'purge', 'checkpoint'].includes(command);
    const db = await openRegistryDatabase({ ...config.registry, databaseUrl: (asOwner && config.registry.ownerUrl) || config.registry.databaseUrl });
    registry = new AccessRegistry(db, keys);
    switch (command) {
      case 'migrate': {
        const grantTo = serviceRole(config.registry);
        const applied = await migrate(db, registryMigrations, grantTo ? { grantTo } : {});
        if (grantTo) io.out(`granted the provider's role ${grantTo} what it needs (append only)`);
        io.out(applied.length > 0 ? `applied migrations ${applied.join(', ')}` : 'schema up to date');
        return 0;
      }
      case 'verify': {
        const result = await registry.verify({ from: positive(parsed.from, 'from'), to: positive(parsed.to, 'to') });
        io.out(JSON.stringify(result));
        if (result.firstBroken) {
          io.err(`first broken record: #${result.firstBroken.seq} (${result.firstBroken.reason})`);
          return 2;
        }
        io.out(`records #${result.from}…#${result.to} intact (${result.records} records, ${result.checkpoints} signed checkpoints)`);
        return 0;
      }
      case 'checkpoint': {
        const checkpoint = await registry.checkpoint();
        io.out(checkpoint ? `checkpoint at #${checkpoint.seq} ${checkpoint.hash}` : 'nothing to sign (empty chain or head already signed)');
        return 0;
      }
      case 'purge': {
        const months = positive(parsed.months, 'months') ?? config.registry.retentionMonths;
        if (months < MIN_RETENTION_MONTHS) throw new RegistryError('registry_usage', `--months must be at least ${MIN_RETENTION_MONTHS}: the records are kept 24 months (DM 8 settembre 2022 art. 13)`);
        const result = await registry.purge(months);
        io.out(result.removed > 0 ? `purged ${result.removed} records (up to #${result.cut}) older than ${months} months` : `nothing older than ${months} months`);
        return 0;
      }
      case 'extract': {
        const requester = parsed.requester?.trim();
        const legalBasis = parsed['legal-basis']?.trim();
        if (!requester || !legalBasis) throw new RegistryError('registry_usage', 'extract needs --requester and --legal-basis (DM 8 settembre 2022 art. 13: only named personnel, for the courts, the supervisors or the holder)');
        if (!parsed['fiscal-code'] && !parsed.client) throw new RegistryError('registry_usage', 'extract needs --fiscal-code or --client (no extraction of the whole registry)');
        const records = await registry.extract({
          requester,
          legalBasis,
          criteria: {
            ...(parsed['fiscal-code'] ? { accountId: accountOf(parsed['fiscal-code']) } : {}),
            ...(parsed.client ? { clientId: parsed.client } : {}),
            ...(parsed.from ? { from: date(parsed.from, 'from') } : {}),
            ...(parsed.to ? { to: date(parsed.to, 'to') } : {}),
          },
        });
        const text = JSON.stringify({ requester, legal_basis: legalBasis, records }, null, 2);
        if (parsed.out) {
          await writeFile(parsed.out, text, { mode: 0o600 });
          io.out(`${records.length} records written to ${parsed.out}`);
        } else {
          io.out(text);
        }
        return 0;
      }
    }
    return 1;
  } catch (error) {
    io.err(`cie-registry ${command}: ${error instanceof RegistryError || error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await registry?.close();
  }
}

/** The provider's role (DATABASE_URL's user) when the owner's (DATABASE_OWNER_URL) is another one: it gets the set's grants. */
function serviceRole(registry: { databaseUrl: string; ownerUrl: string }): string | undefined {
  if (!registry.databaseUrl || !registry.ownerUrl) return undefined;
  const user = (url: string) => decodeURIComponent(new URL(url).username);
  const service = user(registry.databaseUrl);
  return service && service !== user(registry.ownerUrl) ? service : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // One JSON line per run for the operations log (stderr; stdout keeps the command's own output).
  configureLogging({ service: 'registry-cli', destination: process.stderr });
  const [command] = process.argv.slice(2);
  const done = (code: number) => {
    loggerFor('registry').info({ event: 'registry_command', command: command ?? null, exit_code: code });
    process.exit(code);
  };
  runRegistryCli(process.argv.slice(2)).then(done, () => done(1));
}
