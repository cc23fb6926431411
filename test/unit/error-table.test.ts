import Koa from 'koa';
import request from 'supertest';
import type { CardErrorCode } from '../../src/card/card-error.js';
import type { CliErrorCode } from '../../src/bridge/cli/cli-error.js';
import { assertionErrorCodes } from '../../src/cie/verify/assertion-error.js';
import type { RequestBodyError } from '../../src/shared/form-body.js';
import { answerError } from '../../src/shared/errors/answer-error.js';
import { errorCodes, errorEntry, errorMessage, errorStatus, isErrorCode, isRetryable, type ErrorCode, type ErrorParams, type ErrorSurface } from '../../src/shared/errors/error-table.js';
import { renderErrorPage, type ErrorPageOptions } from '../../src/shared/errors/render-error-page.js';
import type { Language } from '../../src/shared/language.js';
import { requestLanguage, type RequestLanguageOptions } from '../../src/shared/request-language.js';
import type { TransportErrorCode } from '../../src/transport/card-transport.js';

// Type-level: every code union the rooms raise has an entry (tsc fails here when a code is added without words).
type Covered<T extends ErrorCode> = T;
export type EveryRaisedCodeHasAnEntry = Covered<CardErrorCode | TransportErrorCode | RequestBodyError['code'] | 'too_many_requests' | 'too_many_challenges' | 'too_many_failures'>
  | Covered<Exclude<CliErrorCode, 'device_keys_unreadable' | 'port_in_use'> | 'device_keys_unreadable' | 'port_in_use'>;

const languages: Language[] = ['it', 'en'];
const surfaces: ErrorSurface[] = ['pages', 'account', 'bridge', 'cli'];
const sample: ErrorParams = { triesLeft: 2, origin: 'https://rp.example', detail: 'd', port: 8080, path: '/p' };

describe('the error table', () => {
  test('every code has Italian and English words on every surface, and a 4xx or 5xx status', () => {
    expect(errorCodes.length).toBeGreaterThan(50);
    for (const code of errorCodes) {
      const status = errorStatus(code);
      expect([code, status >= 400 && status <= 599]).toEqual([code, true]);
      for (const language of languages) {
        for (const surface of surfaces) {
          for (const params of [sample, {}]) {
            const text = errorMessage(code, language, { surface, params });
            expect([code, surface, language, text.trim().length >= 'Cancelled.'.length, text.includes('undefined')]).toEqual([code, surface, language, true, false]);
          }
        }
      }
      // The two languages say it differently (an untranslated entry would be the same string).
      expect([code, errorMessage(code, 'it', { params: sample }) !== errorMessage(code, 'en', { params: sample })]).toEqual([code, true]);
    }
  });

  test('every refusal of the verifier has an entry', () => {
    expect(assertionErrorCodes.filter((code) => !isErrorCode(code))).toEqual([]);
  });

  test('retryable codes are exactly the card problems the bridge lets the citizen fix on the PIN page', () => {
    expect(errorCodes.filter(isRetryable).sort()).toEqual(['card_busy', 'card_removed', 'invalid_pin_format', 'no_card', 'no_reader', 'timeout', 'wrong_pin']);
  });

  test('an unknown code gets the internal error, never a crash', () => {
    expect(isErrorCode('no_such_code')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(errorEntry('no_such_code')).toBe(errorEntry('internal_error'));
    expect(errorEntry('__proto__')).toBe(errorEntry('internal_error'));
    expect(errorStatus('no_such_code')).toBe(500);
    expect(errorMessage('no_such_code', 'en')).toBe(errorMessage('internal_error', 'en'));
  });

  test('messages with a parameter say it, and tries left read naturally', () => {
    expect(errorMessage('wrong_pin', 'it', { params: { triesLeft: 2 } })).toContain('Ti restano 2 tentativi');
    expect(errorMessage('wrong_pin', 'en', { params: { triesLeft: 1 } })).toContain('1 attempt left');
    expect(errorMessage('wrong_pin', 'it')).toBe('PIN errato.');
    expect(errorMessage('wrong_puk', 'en', { params: { triesLeft: 5 } })).toBe('Wrong PUK. 5 attempts left.');
    expect(errorMessage('origin_not_allowed', 'en', { params: { origin: 'https://x.example' } })).toContain('https://x.example');
    expect(errorMessage('port_in_use', 'it', { params: { port: 8123 } })).toContain('8123');
  });

  test('a surface without its own words gets the pages\' words', () => {
    expect(errorMessage('wrong_pin', 'it', { surface: 'cli', params: { triesLeft: 2 } })).toBe(errorMessage('wrong_pin', 'it', { params: { triesLeft: 2 } }));
    expect(errorMessage('session_expired', 'it', { surface: 'account' })).not.toBe(errorMessage('session_expired', 'it'));
    expect(errorMessage('cancelled', 'en', { surface: 'cli' })).toBe('Cancelled.');
  });

  test('no two codes share a message unless the table groups them on purpose', () => {
    // Intended: causes the citizen handles the same way (named wordings in error-table.ts).
    const intended = [
      // A body the server cannot take, or its own failure: "Si è verificato un errore. Riprova più tardi."
      ['body_too_large', 'body_unreadable', 'server_error', 'unsupported_media_type'],
      ['card_error', 'device_auth_failed', 'invalid_challenge', 'invalid_device_keys', 'malformed_response', 'secure_messaging', 'transport_failed'],
      ['challenge_unknown@account', 'sign_in_expired'],
      ['crl_invalid_signature', 'crl_stale', 'ocsp_certid_mismatch', 'ocsp_invalid_signature', 'ocsp_nonce_mismatch', 'ocsp_stale', 'ocsp_unauthorised_responder', 'revocation_unavailable', 'revocation_unknown'],
      ['missing_identity', 'not_end_entity_certificate', 'wrong_key_usage'],
      ['registry_unavailable', 'temporarily_unavailable'],
      ['session_expired', 'wrong_prompt'],
      // The bridge's terse refusal (also what the phone app gets for a malformed call); its unexpected failures read as a card problem.
      ['bad_request', 'body_too_large@bridge', 'body_unreadable@bridge', 'forbidden_origin', 'malformed_request', 'not_a_navigation', 'unsupported_media_type@bridge'],
      ['card_error', 'internal_error@bridge', 'server_error@bridge'],
    ];
    for (const language of languages) {
      const byText = new Map<string, string[]>();
      for (const code of errorCodes) {
        for (const surface of surfaces) {
          const text = errorMessage(code, language, { surface, params: sample });
          const name = surface === 'pages' ? code : `${code}@${surface}`;
          if (surface !== 'pages' && text === errorMessage(code, language, { params: sample })) continue;
          byText.set(text, [...(byText.get(text) ?? []), name]);
        }
      }
      const shared = [...byText.values()].filter((codes) => codes.length > 1).map((codes) => codes.sort());
      // card_error's words are in two groups above: the groups that meet on one text are one group.
      const merged = mergeOverlapping(intended);
      expect(shared.sort(byFirst)).toEqual(merged.sort(byFirst));
    }
  });
});

function mergeOverlapping(groups: string[][]): string[][] {
  const out: string[][] = [];
  for (const group of groups) {
    const overlapping = out.filter((o) => o.some((c) => group.includes(c)));
    const union = [...new Set([...group, ...overlapping.flat()])].sort();
    for (const o of overlapping) out.splice(out.indexOf(o), 1);
    out.push(union);
  }
  return out;
}

const byFirst = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);

function appAnswering(options: Partial<ErrorPageOptions> & { code: string }, answer = renderErrorPage) {
  const app = new Koa();
  app.use(async (ctx) => {
    ctx.redirect('/somewhere-a-handler-prepared');
    await answer(ctx, { language: 'it', ...options });
  });
  return request(app.callback());
}

describe('renderErrorPage', () => {
  test('status and message from the table, the page in the language asked, never cached, never redirecting', async () => {
    const answer = await appAnswering({ code: 'session_expired', language: 'en' }).get('/');
    expect(answer.status).toBe(errorStatus('session_expired'));
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers.location).toBeUndefined();
    expect(answer.text).toContain('<html lang="en">');
    expect(answer.text).toContain('data-code="session_expired"');
    expect(answer.text).toContain(errorMessage('session_expired', 'en'));
    expect(answer.text).toContain('Sign in with CIE');
  });

  test('a given status wins; Retry-After when asked; the table\'s heading for a limit', async () => {
    const answer = await appAnswering({ code: 'too_many_requests', status: 400, retryAfterSeconds: 60 }).get('/');
    expect(answer.status).toBe(400);
    expect(answer.headers['retry-after']).toBe('60');
    expect(answer.text).toContain('<h1>Troppi tentativi</h1>');
    expect((await appAnswering({ code: 'temporarily_unavailable' }).get('/')).status).toBe(503);
  });

  test('"Riprova" posts to the given path, "Torna al servizio" links to the other; none by default', async () => {
    const answer = await appAnswering({ code: 'wrong_pin', retry: { action: '/interaction/abc/cie' }, back: { href: '/interaction/abc/abort' } }).get('/');
    expect(answer.text).toMatch(/<form method="post" action="\/interaction\/abc\/cie">/);
    expect(answer.text).toContain('href="/interaction/abc/abort" id="back-to-service"');
    expect(answer.text).toContain('id="lost-codes-hint"');
    const bare = await appAnswering({ code: 'server_error' }).get('/');
    expect(bare.status).toBe(500);
    expect(bare.text).not.toContain('id="retry"');
    expect(bare.text).not.toContain('id="back-to-service"');
  });

  test('the last attempt says to start again; a library code is shown with our words and its detail', async () => {
    const last = await appAnswering({ code: 'cancelled', lastAttempt: true }).get('/');
    expect(last.text).toContain(`${errorMessage('cancelled', 'it')} Hai esaurito i tentativi`);
    const refused = await appAnswering({ code: 'request_refused', shownCode: 'invalid_request', detail: 'missing scope' }).get('/');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('data-code="invalid_request"');
    expect(refused.text).toContain('<span lang="en" id="error-detail">missing scope</span>');
  });

  test('the account page\'s heading and words', async () => {
    const answer = await appAnswering({ code: 'session_expired', surface: 'account' }).get('/');
    expect(answer.text).toContain('<h1>Non è stato possibile completare l’operazione</h1>');
    expect(answer.text).toContain(errorMessage('session_expired', 'it', { surface: 'account' }));
  });

  test('the language switch leads to the stable path when given', async () => {
    const answer = await appAnswering({ code: 'cancelled', languageSwitchPath: '/interaction/abc/cie/failed?code=cancelled' }).get('/?ticket=t');
    expect(answer.text).toContain('href="/interaction/abc/cie/failed?code=cancelled&amp;lang=en"');
  });

  test('answerError gives JSON to a client that prefers it, the page to a browser', async () => {
    const json = await appAnswering({ code: 'too_many_failures', retryAfterSeconds: 30 }, answerError).get('/').set('Accept', 'application/json');
    expect(json.status).toBe(429);
    expect(json.headers['retry-after']).toBe('30');
    expect(json.headers.location).toBeUndefined();
    expect(json.body).toEqual({ error: 'too_many_failures', error_description: errorMessage('too_many_failures', 'it') });
    const page = await appAnswering({ code: 'too_many_failures' }, answerError).get('/').set('Accept', 'text/html');
    expect(page.headers['content-type']).toContain('text/html');
  });
});

describe('requestLanguage', () => {
  function appChoosing(options?: RequestLanguageOptions, uiLocales?: string) {
    const app = new Koa();
    app.use((ctx) => {
      ctx.body = requestLanguage(ctx, uiLocales, options);
    });
    return request(app.callback());
  }

  test('?lang= > cookie > ui_locales > Accept-Language > Italian', async () => {
    expect((await appChoosing(undefined, 'en').get('/?lang=it').set('Cookie', 'lang=en').set('Accept-Language', 'en')).text).toBe('it');
    expect((await appChoosing(undefined, 'it').get('/').set('Cookie', 'lang=en')).text).toBe('en');
    expect((await appChoosing(undefined, 'en-GB it').get('/').set('Accept-Language', 'it')).text).toBe('en');
    expect((await appChoosing().get('/').set('Accept-Language', 'de, en;q=0.8, it;q=0.5')).text).toBe('en');
    expect((await appChoosing().get('/?lang=fr')).text).toBe('it');
  });

  test('a ?lang= that chose is remembered in the cookie, nothing else sets it', async () => {
    const chosen = await appChoosing().get('/?lang=en');
    expect(chosen.headers['set-cookie']?.[0]).toMatch(/^lang=en; path=\/; samesite=lax; httponly$/);
    expect((await appChoosing().get('/').set('Accept-Language', 'en')).headers['set-cookie']).toBeUndefined();
  });

  test('without the cookie (the bridge): the cookie is neither read nor set', async () => {
    const answer = await appChoosing({ cookie: false }).get('/?lang=en');
    expect(answer.text).toBe('en');
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect((await appChoosing({ cookie: false }).get('/').set('Cookie', 'lang=en')).text).toBe('it');
  });
});
