import { loggerFor } from '../../src/shared/logger.js';
import { REDACTED, redactText } from '../../src/shared/log-redaction.js';
import { captureLogs } from '../support/captured-logs.js';

// Values shaped as the real ones; each must be absent from every log line that mentions it.
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const JWE = 'eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dA.dGFn';
const CODE = 'Zk3xQ9vW2pL8mN4bR7tY1uI6oP0aS5dF3gH8jK2lZ9x';
const ASSERTION = JSON.stringify({ format: 'cie-assertion:1.0', origin: 'https://id.example.it', challenge: 'Y2hhbGxlbmdl', certificate: 'MIIBcertificate', algorithm: 'RS256', signature: 'c2lnbmF0dXJl' });
const PIN = '12345678';
const PUK = '87654321';
const COOKIE = '_session=sEcReTsEsSiOn123; _interaction=iNtErAcTiOn456';
const TICKET = 'tKt_9f8e7d6c5b4a3210ffeeddccbbaa9988';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const written = () => logs.raw.join('\n');

test('each kind of secret, given as a field, is redacted from the line', () => {
  loggerFor('test').info({
    event: 'secrets',
    access_token: JWT,
    refresh_token: JWT,
    id_token: JWE,
    token: 'opaque-token-value-1234567890',
    code: CODE,
    assertion: ASSERTION,
    client_assertion: JWT,
    request: JWT,
    request_uri: 'urn:ietf:params:oauth:request_uri:Y3VzdG9tLXJlcXVlc3QtdXJp',
    cookie: COOKIE,
    'set-cookie': [COOKIE],
    headers: { authorization: `Bearer ${JWT}`, Cookie: COOKIE, 'x-request-id': 'kept-id' },
    pin: PIN,
    puk: PUK,
    newPin: '24681357',
    ticket: TICKET,
  });
  const [line] = logs.lines;
  expect(line).toMatchObject({ event: 'secrets', access_token: REDACTED, code: REDACTED, assertion: REDACTED, client_assertion: REDACTED, request: REDACTED, cookie: REDACTED, pin: REDACTED, puk: REDACTED, ticket: REDACTED });
  expect(line!.headers).toEqual({ authorization: REDACTED, Cookie: REDACTED, 'x-request-id': 'kept-id' });
  for (const secret of [JWT, JWE, CODE, 'MIIBcertificate', 'c2lnbmF0dXJl', PIN, PUK, '24681357', 'sEcReTsEsSiOn123', 'iNtErAcTiOn456', TICKET, 'opaque-token-value', 'Y3VzdG9tLXJlcXVlc3QtdXJp']) {
    expect(written()).not.toContain(secret);
  }
});

test('secrets inside free text (messages, URLs, error messages) are redacted too', () => {
  const log = loggerFor('test');
  log.warn(`callback https://rp.example.it/cb?code=${CODE}&state=abc failed`);
  log.warn({ url: `/auth?client_id=x&request=${JWT}` }, `sent Authorization: Bearer ${JWT}`);
  log.error({ error: new Error(`bad assertion ${ASSERTION} with pin=${PIN} and puk=${PUK}`) }, 'refused');
  log.info({ form: `assertion=${encodeURIComponent(ASSERTION)}&ticket=${TICKET}` });
  log.error('redis: unavailable (connect to rediss://cie:S3cretRedisPass@redis.internal:6380 failed); postgres://registry:PgPa55word@db:5432/cie too');
  const text = written();
  for (const secret of [CODE, JWT, 'MIIBcertificate', PIN, PUK, TICKET, encodeURIComponent(ASSERTION), 'S3cretRedisPass', 'PgPa55word']) expect(text).not.toContain(secret);
  expect(text).toContain(`rediss://cie:${REDACTED}@redis.internal:6380`);
  expect(text).toContain('state=abc');
  expect(logs.lines[1]!.msg).toBe(`sent Authorization: Bearer ${REDACTED}`);
  expect(logs.lines[2]!.error).toMatchObject({ type: 'Error', message: expect.stringContaining(REDACTED) });
});

test('error codes and ordinary identifiers are kept: a `code` that is a short lower-case identifier is not a secret', () => {
  loggerFor('test').info({ type: 'cie.assertion.rejected', code: 'revocation_unavailable', certificateSerial: '01ab', client_id: 'https://rp.example.it/', interactionUid: 'uid-1', missing: ['exp', 'jti'] });
  expect(logs.lines[0]).toMatchObject({ type: 'cie.assertion.rejected', code: 'revocation_unavailable', certificateSerial: '01ab', client_id: 'https://rp.example.it/', interactionUid: 'uid-1', missing: ['exp', 'jti'] });
  expect(redactText('plain text, no secret')).toBe('plain text, no secret');
});

test('every line is JSON with level, time, service, component; the caller\'s fields are never mutated', () => {
  const fields = { event: 'x', token: 'abc' };
  loggerFor('unit').info(fields, 'hello');
  expect(fields.token).toBe('abc');
  expect(logs.lines[0]).toMatchObject({ level: 'info', component: 'unit', event: 'x', token: REDACTED, msg: 'hello', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  expect(logs.lines[0]).toHaveProperty('service');
  expect(logs.lines[0]).toMatchObject({ pid: process.pid, hostname: expect.any(String) });
});

test('a body quoted in an error message (JSON or a client_secret_post form) loses its secrets: PIN/PUK, PKCE verifier, client secret, tokens', () => {
  const log = loggerFor('test');
  // Node's JSON.parse quotes the start of the text it could not parse.
  log.warn({ error: new SyntaxError(`Unexpected token 'x', "{"pin":"${PIN}","puk": "${PUK}","newPin":"24681357","token":"opaque-token-value-1"}x" is not valid JSON`) });
  log.warn(`token request refused: grant_type=authorization_code&code_verifier=VeRiFiEr0123456789abcdefghijklmnopqrstuvwxyzAB&client_secret=CliEntSeCret99&refresh_token=rEfReSh42`);
  log.info({ code_verifier: 'VeRiFiEr0123456789abcdefghijklmnopqrstuvwxyzAB' });
  const text = written();
  for (const secret of [PIN, PUK, '24681357', 'opaque-token-value-1', 'VeRiFiEr0123456789', 'CliEntSeCret99', 'rEfReSh42']) expect(text).not.toContain(secret);
  expect(text).toContain('grant_type=authorization_code');
});

test('the bridge\'s card-page form fields (current PIN, new PIN twice, PUK) are redacted, as fields and in text', () => {
  loggerFor('test').info({ event: 'bridge_form', current: PIN, next: '24681357', again: '24681357', puk: PUK }, `body current=${PIN}&next=24681357&again=24681357&puk=${PUK}`);
  loggerFor('test').warn(`Unexpected token in JSON: {"current":"${PIN}","next":"24681357","again":"24681357"}`);
  for (const secret of [PIN, PUK, '24681357']) expect(written()).not.toContain(secret);
});

test('a text with no mark any secret needs (no quote, =, @, eyJ, credential scheme) is kept as is; one mark is enough to be searched', () => {
  for (const plain of ['/interaction/abc123/cie', 'GET', 'request', 'login finished in 12 ms']) expect(redactText(plain)).toBe(plain);
  expect(redactText('code=secret-value')).toBe(`code=${REDACTED}`);
  expect(redactText('postgres://user:pw@host/db')).toBe(`postgres://user:${REDACTED}@host/db`);
  expect(redactText('token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig')).toBe(`token ${REDACTED}`);
  expect(redactText('dpop abcdef')).toBe(`dpop ${REDACTED}`);
  expect(redactText('{"pin": "12345678"}')).toBe(`{"pin": "${REDACTED}"}`);
});
