import { credentialsDatabase } from '../../src/credentials/credentials-database.js';
import { DatabaseUnavailableError } from '../../src/storage/database/database-error.js';
import { openTestPglite } from '../support/pglite-template.js';
import type { Database } from '../../src/storage/database/database.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';

test('opened at the first statement, migrated once; a database that could not be opened is the storage outage, and is asked again next time', async () => {
  const db = await openTestPglite();
  let opens = 0;
  let down = true;
  const observed: unknown[] = [];
  const credentials = credentialsDatabase(async (): Promise<Database> => {
    opens += 1;
    if (down) throw new DatabaseUnavailableError(new Error('connection refused'));
    return db;
  }, async (call) => {
    try {
      return await call();
    } catch (error) {
      observed.push(error);
      throw error;
    }
  });
  expect(opens).toBe(0);
  await expect(credentials.query('SELECT 1')).rejects.toBeInstanceOf(StorageUnavailableError);
  expect(observed[0]).toBeInstanceOf(StorageUnavailableError);
  down = false;
  await credentials.query('SELECT count(*) FROM credential_citizens');
  await credentials.transaction((sql) => sql.query('SELECT count(*) FROM credential_passkeys'));
  expect(opens).toBe(2);
  await db.close();
}, 180_000);
