#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProviderConfig } from '../config/config.js';
import { configureLogging, loggerFor } from '../shared/logger.js';
import { migrate } from '../storage/database/migrate.js';
import { openDatabase } from '../storage/database/open-database.js';
import { credentialsMigrations } from './credentials-migrations.js';
import { CREDENTIALS_KEYS_FILE, loadCredentialsKeys } from './credentials-keys.js';

const USAGE = `Usage: cie-credentials <command>   (the provider's settings: DATABASE_URL or REGISTRY_DIR, DATABASE_OWNER_URL, KEYS_DIR; docs/levels.md)
  cie-credentials migrate   apply the credentials' pending schema migrations (as DATABASE_OWNER_URL when set, granting DATABASE_URL's role what the provider needs)
  cie-credentials keys      create KEYS_DIR/${CREDENTIALS_KEYS_FILE} if missing (mode 0600)`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** The provider's role, when the owner migrates on its behalf (docs/registry.md, "Roles"). */
function serviceRole(databaseUrl: string, ownerUrl: string): string | undefined {
  if (!databaseUrl || !ownerUrl) return undefined;
  const user = (url: string) => decodeURIComponent(new URL(url).username);
  const service = user(databaseUrl);
  return service && service !== user(ownerUrl) ? service : undefined;
}

/** The operator's command for the credentials' tables and keys; the provider also migrates at its first credentials statement when its role may. */
export async function runCredentialsCli(args: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  const [command] = args;
  if (command !== 'migrate' && command !== 'keys') {
    io.err(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
  }
  try {
    const config = loadProviderConfig(env);
    if (command === 'keys') {
      await loadCredentialsKeys(config.keysDir, true);
      io.out(`${join(config.keysDir, CREDENTIALS_KEYS_FILE)}: present`);
      return 0;
    }
    const db = await openDatabase({ databaseUrl: config.registry.ownerUrl || config.registry.databaseUrl, dir: config.registry.dir });
    try {
      const grantTo = serviceRole(config.registry.databaseUrl, config.registry.ownerUrl);
      const applied = await migrate(db, credentialsMigrations, grantTo ? { grantTo } : {});
      if (grantTo) io.out(`granted the provider's role ${grantTo} what it needs on the credentials' tables`);
      io.out(applied.length > 0 ? `applied credentials migrations ${applied.join(', ')}` : 'credentials schema up to date');
      return 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    io.err(`cie-credentials ${command}: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  configureLogging({ service: 'credentials-cli', destination: process.stderr });
  runCredentialsCli(process.argv.slice(2)).then(
    (code) => {
      loggerFor('credentials').info({ event: 'credentials_command', command: process.argv[2] ?? null, exit_code: code });
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
