import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProviderConfig } from '../../src/config/config.js';
import { BreachedPasswords, openBreachedPasswords } from '../../src/credentials/breached-passwords.js';
import { BreachedPasswordsFile } from '../../src/credentials/breached-passwords-file.js';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { createCredentialsRoom } from '../../src/credentials/credentials-room.js';
import { newPasswordRefusal, type BreachedPasswordCheck } from '../../src/credentials/password-policy.js';
import { breachedPasswordChecks } from '../../src/observability/metrics.js';
import type { Database } from '../../src/storage/database/database.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { openTestPglite } from '../support/pglite-template.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { credentialsAccountWorld } from '../account/support/credentials-account-app.js';
import { captureLogs } from '../support/captured-logs.js';
import { decodeHtml } from '../support/test-browser.js';
import { CITIZEN } from './support/credentials-backends.js';

// The breached-password check where a password is chosen (src/credentials/breached-passwords.ts): the
// sources composed, the policy's async step, the settings and the start, and the account page refusing
// a breached password at activation and change, never consulted at sign-in.

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

/** Passwords that pass every rule and are in the generated list; the count is never shown. */
const BREACHED = 'Primavera2019x';
const BREACHED_COUNT = 987654;
const FULLWIDTH_TYPED = 'Ｓｏｌｅ２０２０ａＢ';
const CLEAN = 'Girasole2024x';

let dir: string;
let listPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'breached-'));
  const lines = [`${sha1(BREACHED)}:${BREACHED_COUNT}`, `${sha1(FULLWIDTH_TYPED)}:3`, ...Array.from({ length: 500 }, (_, i) => `${sha1(`filler-${i}`)}:1`)].sort();
  listPath = join(dir, 'pwned-passwords-sha1-ordered-by-hash.txt');
  writeFileSync(listPath, `${lines.join('\r\n')}\r\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A check that counts its calls, around the real one. */
function counted(inner: BreachedPasswordCheck) {
  const calls: string[] = [];
  return { calls, isBreached: (password: string) => (calls.push(password), inner.isBreached(password)) };
}

const metric = async (source: string, outcome: string) => (await breachedPasswordChecks.get()).values.find((value) => value.labels.source === source && value.labels.outcome === outcome)?.value ?? 0;

describe('the check', () => {
  test('off by default: no source, nothing is breached', async () => {
    const none = await openBreachedPasswords();
    expect(none.enabled).toBe(false);
    expect(await none.isBreached(BREACHED)).toBe(false);
    expect((await openBreachedPasswords({ file: '', api: '', apiTimeoutMs: 2000 })).enabled).toBe(false);
  });

  test('the file: a listed password is breached, the NFKC form and the typed form both looked up; hits and misses counted', async () => {
    const check = await openBreachedPasswords({ file: listPath, api: '', apiTimeoutMs: 2000 });
    const [hits, misses] = [await metric('file', 'hit'), await metric('file', 'miss')];
    expect(await check.isBreached(BREACHED)).toBe(true);
    // Typed on a full-width keyboard: NFKC makes it the listed ASCII password (what would be stored).
    expect(await check.isBreached('Ｐｒｉｍａｖｅｒａ２０１９ｘ')).toBe(true);
    // Listed as typed, full-width: the typed form is looked up too.
    expect(await check.isBreached(FULLWIDTH_TYPED)).toBe(true);
    expect(await check.isBreached(CLEAN)).toBe(false);
    expect(await metric('file', 'hit')).toBe(hits + 3);
    expect(await metric('file', 'miss')).toBe(misses + 1);
  });

  test('the file first: what it knows is never asked of the API; what it does not is', async () => {
    const asked: string[] = [];
    const check = new BreachedPasswords([
      { name: 'file', count: readCount },
      { name: 'range_api', count: async (hash) => (asked.push(hash), 0) },
    ]);
    expect(await check.isBreached(BREACHED)).toBe(true);
    expect(asked).toEqual([]);
    expect(await check.isBreached(CLEAN)).toBe(false);
    expect(asked).toEqual([sha1(CLEAN)]);
  });

  test('a file gone after the start fails open: accepted, counted unavailable', async () => {
    const path = join(dir, 'soon-gone.txt');
    writeFileSync(path, `${sha1(BREACHED)}:1\n`);
    const check = await openBreachedPasswords({ file: path, api: '', apiTimeoutMs: 2000 });
    expect(await check.isBreached(BREACHED)).toBe(true);
    rmSync(path);
    const before = await metric('file', 'unavailable');
    const logs = captureLogs('warn');
    try {
      expect(await check.isBreached(BREACHED)).toBe(false);
    } finally {
      logs.restore();
    }
    expect(await metric('file', 'unavailable')).toBe(before + 1);
    expect(logs.lines).toEqual([expect.objectContaining({ level: 'warn', event: 'breached_password_check_unavailable', source: 'file', code: 'breached_passwords_file' })]);
  });

  test('a source that never answers (a hung disk) is unavailable at the deadline: accepted, the next source asked', async () => {
    const asked: string[] = [];
    const check = new BreachedPasswords(
      [
        { name: 'file', count: () => new Promise<number>(() => undefined) },
        { name: 'range_api', count: async (hash) => (asked.push(hash), 0) },
      ],
      50,
    );
    const before = await metric('file', 'unavailable');
    const logs = captureLogs('warn');
    try {
      expect(await check.isBreached(CLEAN)).toBe(false);
    } finally {
      logs.restore();
    }
    expect(await metric('file', 'unavailable')).toBe(before + 1);
    expect(logs.lines).toEqual([expect.objectContaining({ event: 'breached_password_check_unavailable', source: 'file', reason: 'timeout' })]);
    expect(asked).toEqual([sha1(CLEAN)]);
  });

  test('the policy\'s async step: the rules first (no look-up for a refused password), then the lists', async () => {
    const check = counted(await openBreachedPasswords({ file: listPath, api: '', apiTimeoutMs: 2000 }));
    expect(await newPasswordRefusal('corto1', {}, check)).toEqual({ code: 'password_policy', violations: expect.arrayContaining(['too_short']) });
    expect(await newPasswordRefusal('Password123', {}, check)).toEqual({ code: 'password_policy', violations: ['well_known'] });
    expect(check.calls).toEqual([]);
    expect(await newPasswordRefusal(BREACHED, {}, check)).toEqual({ code: 'password_breached' });
    expect(await newPasswordRefusal(CLEAN, {}, check)).toBeUndefined();
    expect(await newPasswordRefusal(BREACHED)).toBeUndefined();
    expect(check.calls).toEqual([BREACHED, CLEAN]);
  });
});

/** The generated list's count for a hash, read by the file source (to compose sources by hand). */
async function readCount(hash: string): Promise<number> {
  return (await BreachedPasswordsFile.open(listPath)).count(hash);
}

describe('settings and start', () => {
  test('BREACHED_PASSWORDS_*: empty by default, read from the environment', () => {
    expect(loadProviderConfig({}).credentials.breachedPasswords).toEqual({ file: '', api: '', apiTimeoutMs: 2000 });
    const set = loadProviderConfig({ BREACHED_PASSWORDS_FILE: listPath, BREACHED_PASSWORDS_API: 'https://api.pwnedpasswords.com', BREACHED_PASSWORDS_API_TIMEOUT_MS: '1500' });
    expect(set.credentials.breachedPasswords).toEqual({ file: listPath, api: 'https://api.pwnedpasswords.com', apiTimeoutMs: 1500 });
    expect(() => loadProviderConfig({ BREACHED_PASSWORDS_API_TIMEOUT_MS: '60000' })).toThrow(/BREACHED_PASSWORDS_API_TIMEOUT_MS/);
  });

  async function room(env: Record<string, string>) {
    const state = new MemoryStateStore();
    try {
      return await createCredentialsRoom({
        database: () => Promise.reject(new Error('no statement is run')),
        keysDir: join(dir, 'keys'),
        generateKeys: true,
        settings: loadProviderConfig(env).credentials,
        store: state,
      });
    } finally {
      state.close();
    }
  }

  test('the room opens the sources at start; an unusable file or a plain-http API stops it with a clear error', async () => {
    const started = await room({ BREACHED_PASSWORDS_FILE: listPath });
    expect(started.breachedPasswords.enabled).toBe(true);
    expect(await started.breachedPasswords.isBreached(BREACHED)).toBe(true);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'password123\nqwerty\n');
    await expect(room({ BREACHED_PASSWORDS_FILE: bad })).rejects.toMatchObject({ code: 'breached_passwords_file', message: expect.stringContaining(`BREACHED_PASSWORDS_FILE ${bad}`) });
    await expect(room({ BREACHED_PASSWORDS_FILE: join(dir, 'missing.txt') })).rejects.toMatchObject({ code: 'breached_passwords_file' });
    await expect(room({ BREACHED_PASSWORDS_API: 'http://api.pwnedpasswords.com' })).rejects.toMatchObject({ code: 'breached_passwords_config' });
  });
});

describe('the account page', () => {
  let db: Database;
  let world: ReturnType<typeof credentialsAccountWorld>;
  let check: ReturnType<typeof counted>;
  const EMAIL = 'mario.rossi@example.it';

  beforeAll(async () => {
    db = await openTestPglite();
    await migrate(db, credentialsMigrations);
    check = counted(await openBreachedPasswords({ file: listPath, api: '', apiTimeoutMs: 2000 }));
    world = credentialsAccountWorld(db, { breachedPasswords: check });
  }, 60_000);
  afterAll(async () => {
    world.close();
    await db.close();
  });

  test('the rules listed beside the password say in advance that a breached password is refused, only where a list is consulted (Italian and English)', async () => {
    const signed = await world.signedIn(CITIZEN);
    const italian = await signed.browser.get('/account').set('accept-language', 'it').expect(200);
    expect(italian.text).toContain('<li data-rule="breached">non comparire tra le password rubate in violazioni di dati</li>');
    const english = await signed.browser.get('/account').set('accept-language', 'en').expect(200);
    expect(english.text).toContain('<li data-rule="breached">not appear among passwords stolen in data breaches</li>');
    for (const options of [{}, { breachedPasswords: await openBreachedPasswords() }]) {
      const other = credentialsAccountWorld(db, options);
      try {
        const page = await (await other.signedIn(CITIZEN)).browser.get('/account').expect(200);
        expect(page.text).toContain('data-rule="no_digit"');
        expect(page.text).not.toContain('data-rule="breached"');
      } finally {
        other.close();
      }
    }
  }, 60_000);

  test('activation and password change refuse a breached password in Italian and English, without its count; sign-in never looks up', async () => {
    const signed = await world.signedIn(CITIZEN);
    const activate = (password: string, language = 'it') =>
      signed.browser.post('/account/credentials/activate').set('accept-language', language).type('form').send({ csrf: signed.csrf, username_kind: 'email', email: EMAIL, password, password_again: password });

    const italian = await activate(BREACHED).expect(400);
    expect(italian.text).toContain('data-code="password_breached"');
    expect(decodeHtml(italian.text)).toContain('Questa password compare negli elenchi di password rubate in violazioni di dati');
    expect(italian.text).not.toContain(String(BREACHED_COUNT));
    expect(italian.text).not.toContain(BREACHED);
    // What was typed comes back (never the password).
    expect(italian.text).toContain(`value="${EMAIL}"`);
    const english = await activate(BREACHED, 'en').expect(400);
    expect(english.text).toContain('data-code="password_breached"');
    expect(decodeHtml(english.text)).toContain('This password appears in the lists of passwords stolen in data breaches');
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toBeUndefined();

    await activate(CLEAN).expect(303);
    const code = /\b(\d{6})\b/.exec(world.outbox.list(EMAIL).at(-1)!.text)![1]!;
    await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code }).expect(303);
    expect(check.calls).toEqual([BREACHED, BREACHED, CLEAN]);

    // Signing in verifies the password only: no look-up, whatever the password.
    expect((await world.signIn.attempt(EMAIL, CLEAN)).ok).toBe(true);
    expect((await world.signIn.attempt(EMAIL, BREACHED)).ok).toBe(false);
    expect(check.calls).toHaveLength(3);

    const change = (password: string) => signed.browser.post('/account/credentials/password').type('form').send({ csrf: signed.csrf, password, password_again: password });
    const refused = await change(BREACHED).expect(400);
    expect(refused.text).toContain('data-code="password_breached"');
    expect(refused.text).not.toContain(String(BREACHED_COUNT));
    expect((await world.signIn.attempt(EMAIL, CLEAN)).ok).toBe(true);
    await change('Tulipano2025z').expect(303);
    expect(check.calls).toEqual([BREACHED, BREACHED, CLEAN, BREACHED, 'Tulipano2025z']);
  }, 60_000);
});
