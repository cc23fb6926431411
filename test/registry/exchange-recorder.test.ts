import Koa from 'koa';
import request from 'supertest';
import type { ExchangeEntry } from '../../src/registry/access-registry.js';
import { recordExchanges } from '../../src/registry/exchange-recorder.js';
import { secretHash } from '../../src/registry/sealing.js';
import { historyCsv } from '../../src/account/access-history-export.js';

const paths = { token: '/token', userinfo: '/me', revocation: '/token/revocation' };

/** A koa app standing in for oidc-provider: `oidc` is what the library would have put on the context. */
function app(oidc: object | undefined, answer: { status: number; body: unknown }, record: (entry: ExchangeEntry) => Promise<void>) {
  const koa = new Koa();
  koa.silent = true;
  koa.use(recordExchanges(paths, record));
  koa.use((ctx) => {
    if (oidc) Object.assign(ctx, { oidc });
    ctx.status = answer.status;
    ctx.body = answer.body;
  });
  return koa.callback();
}

test('a token answer is recorded with every secret hashed, never in the clear', async () => {
  const entries: ExchangeEntry[] = [];
  const oidc = { client: { clientId: 'https://rp.example.it' }, params: { grant_type: 'authorization_code', code: 'the-code', code_verifier: 'v' }, entities: { Grant: { accountId: 'TINIT-X', grantId: 'g1' } } };
  const response = await request(app(oidc, { status: 200, body: { access_token: 'at', id_token: 'it' } }, async (entry) => void entries.push(entry))).post('/token');
  expect(response.body).toEqual({ access_token: 'at', id_token: 'it' });
  expect(entries).toEqual([{ exchange: 'token', clientId: 'https://rp.example.it', accountId: 'TINIT-X', grantId: 'g1', status: 200, grantType: 'authorization_code', hashes: { presented_code: secretHash('the-code'), presented_code_verifier: secretHash('v'), issued_access_token: secretHash('at'), issued_id_token: secretHash('it') } }]);
  expect(JSON.stringify(entries)).not.toMatch(/"(the-code|at|it)"/);
});

test('requests that name no client nor token are not recorded (anyone could fill the registry)', async () => {
  const calls: ExchangeEntry[] = [];
  const record = async (entry: ExchangeEntry) => void calls.push(entry);
  await request(app(undefined, { status: 401, body: { error: 'invalid_client' } }, record)).post('/token');
  await request(app({ entities: {} }, { status: 401, body: { error: 'invalid_token' } }, record)).get('/me').set('Authorization', 'Bearer x');
  await request(app({ client: { clientId: 'rp' } }, { status: 200, body: {} }, record)).get('/elsewhere');
  expect(calls).toEqual([]);
});

test('an answer whose record fails is replaced by an error: nothing leaves unrecorded', async () => {
  const oidc = { client: { clientId: 'rp' }, params: {} };
  const response = await request(app(oidc, { status: 200, body: { access_token: 'at' } }, async () => { throw new Error('database down'); })).post('/token');
  expect(response.status).toBe(500);
  expect(response.body).toEqual({ error: 'server_error', error_description: 'the exchange could not be recorded' });
});

test('the citizen\'s CSV download quotes fields and never starts a spreadsheet formula', () => {
  const csv = historyCsv([{ seq: 1, recordedAt: '2026-01-01T00:00:00.000Z', kind: 'consent', clientId: '=HYPERLINK("http://x")', details: { a: 'b,c' }, personal: null }]);
  const [header, line] = csv.split('\r\n');
  expect(header).toBe('seq,recorded_at,kind,client_id,details,personal');
  expect(line).toBe(`1,2026-01-01T00:00:00.000Z,consent,"'=HYPERLINK(""http://x"")","{""a"":""b,c""}",`);
});
