import { AppDevices } from '../../src/credentials/app-devices.js';
import { newCredentialsKeys } from '../../src/credentials/credentials-keys.js';
import type { Database, Sql } from '../../src/storage/database/database.js';
import { CITIZEN, credentialsBackend, type CredentialsBackend } from '../credentials/support/credentials-backends.js';

// A real PostgreSQL server: PGlite runs one transaction at a time, so it cannot show two of them interleaving.
let backend: CredentialsBackend;
beforeAll(async () => {
  backend = await credentialsBackend('postgres');
}, 60_000);
afterAll(async () => backend?.stop());

const key = (n: number) => ({ kty: 'EC' as const, crv: 'P-256' as const, x: String(n).repeat(43).slice(0, 43), y: 'B'.repeat(43) });

/** The same database, with the enrolment's INSERT held at a gate the test opens (the count already done, under the lock). */
function gatedDatabase(db: Database) {
  let reached!: () => void;
  let open!: () => void;
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const gated: Pick<Database, 'query' | 'transaction'> = {
    query: (text, params) => db.query(text, params),
    transaction: (work) =>
      db.transaction((sql) =>
        work({
          query: async (text: string, params?: unknown[]) => {
            if (text.startsWith('INSERT INTO credential_app_devices')) {
              reached();
              await gate;
            }
            return sql.query(text, params);
          },
        } as Sql),
      ),
  };
  return { gated, atGate, open };
}

/** Resolves once some session waits for an advisory lock (the device set's per-citizen lock). */
async function someoneWaitsForTheLock(db: Database): Promise<'waiting'> {
  for (;;) {
    const [row] = await db.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    if (Number(row?.n) > 0) return 'waiting';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('withdrawing the default while another device is being certified leaves a default (the device set\'s writes share one per-citizen lock)', async () => {
  const keys = newCredentialsKeys();
  const plain = new AppDevices(backend.db, keys);
  const first = await plain.add({ identity: CITIZEN, publicJwk: key(1), name: 'Pixel' });
  expect(first.isDefault).toBe(true);
  const { gated, atGate, open } = gatedDatabase(backend.db);
  // A second device's enrolment: it counted one live device (so it will not be the default) and is about to insert.
  const adding = new AppDevices(gated, keys).add({ identity: CITIZEN, publicJwk: key(2), name: 'Tablet' });
  await atGate;
  // Meanwhile the citizen withdraws the default from the account page.
  const withdrawing = plain.withdraw(first.citizenIndex, first.deviceId);
  await Promise.race([withdrawing, someoneWaitsForTheLock(backend.db)]);
  open();
  const second = await adding;
  expect(await withdrawing).toBe(true);
  // The device left receives the pushes.
  expect((await plain.defaultOf(first.citizenIndex))?.deviceId).toBe(second.deviceId);
}, 60_000);
