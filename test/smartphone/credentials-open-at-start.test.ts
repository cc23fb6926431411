import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { createProviderApp } from '../../src/provider-app.js';
import type { Database } from '../../src/storage/database/database.js';
import { openTestPglite } from '../support/pglite-template.js';

// Every level-3 sign-in (the smartphone's OTP, the card) clears the citizen's password lockout through
// the credentials' database. Opened lazily, the first one paid the embedded database's initdb and
// migrations inside the citizen's OTP post: 30–40 s on a loaded machine. The process opens it at start.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phone-credentials-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the credentials database is opened and migrated at start, before any sign-in, and the provider is not ready until it is', async () => {
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3998' });
  let opens = 0;
  let open: (db: Database) => void = () => undefined;
  const opening = new Promise<Database>((resolve) => {
    open = resolve;
  });
  const app = await createProviderApp({ config, credentials: { database: () => (opens++, opening), openAtStart: true } });
  // Asked for at start: no request has come, no citizen has signed in.
  expect(opens).toBe(1);
  const readyz = async () => (await request(app.provider.callback()).get('/readyz')).status;
  expect(await readyz()).toBe(503);

  const db = await openTestPglite();
  open(db);
  await app.credentials.ready();
  expect(await readyz()).toBe(200);
  // What a level-3 sign-in does (CardRecoveryTickets): a statement on the open, migrated database; nothing is opened again.
  await app.credentials.signIn.recoverAfterCardSignIn('RSSMRA85T10A562S');
  expect(opens).toBe(1);
  app.close();
  await db.close();
}, 180_000);
