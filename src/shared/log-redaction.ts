/**
 * What a log line must never carry: bearer secrets (tokens, authorization codes, completion tickets,
 * form tokens), what proves an identity (card assertions, client assertions, request objects), the
 * citizen's PIN and PUK, cookies and authorization headers. Redaction works on field names at any
 * depth and, for free text, on the shapes those values take (JWTs, `Bearer …`, `name=value`
 * parameters), so a secret logged by mistake inside a message or a URL is caught too.
 */
export const REDACTED = '[redacted]';

/** Field names (compared lower-case, without `-` and `_`) whose value is always replaced. */
const SECRET_FIELDS = new Set([
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'logintoken', 'formtoken', 'registrationaccesstoken',
  'authorizationcode', 'devicecode', 'usercode', 'ticket', 'completionticket', 'codeverifier', 'logouttoken', 'idtokenhint',
  'assertion', 'clientassertion', 'cieassertion',
  'request', 'requestobject', 'requesturi',
  'cookie', 'cookies', 'setcookie', 'authorization', 'proxyauthorization',
  'pin', 'puk', 'newpin', 'oldpin', 'currentpin', 'password', 'passphrase',
  // The bridge's card-page forms: current PIN, new PIN and its repetition (views/bridge/code-field.ejs).
  'current', 'next', 'again',
  'secret', 'clientsecret', 'pairwisesecret', 'privatekey', 'registrykey',
]);

/**
 * `code` names both authorization codes (secrets) and this project's error codes (`revocation_unavailable`,
 * `storage_unavailable`…). An error code is a short lower-case identifier; a random code never is.
 */
const ERROR_CODE = /^[a-z][a-z0-9_.:-]{0,63}$/;

const normalise = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/**
 * Field names as normalised, remembered: a line's names come from the code (a handful, on every line),
 * so each is lower-cased and stripped once. Bounded: names past the first 1,000 are normalised each time.
 */
const normalisedNames = new Map<string, string>();
const MAX_REMEMBERED_NAMES = 1000;

function normalisedName(name: string): string {
  let key = normalisedNames.get(name);
  if (key === undefined) {
    key = normalise(name);
    if (normalisedNames.size < MAX_REMEMBERED_NAMES) normalisedNames.set(name, key);
  }
  return key;
}

export function isSecretField(name: string, value: unknown): boolean {
  const key = normalisedName(name);
  if (key === 'code') return !(typeof value === 'string' && ERROR_CODE.test(value)) && typeof value !== 'number';
  return SECRET_FIELDS.has(key);
}

/** Query/form parameters whose value is a secret, wherever they appear in a text. */
const SECRET_PARAMETER = /\b(code|code_verifier|access_token|refresh_token|id_token|id_token_hint|logout_token|token|login_token|assertion|client_assertion|client_secret|request|request_uri|ticket|pin|puk|new_pin|password|current|next|again)=([^&\s"'<>]+)/gi;
/**
 * The same names as JSON members inside a text: Node's JSON.parse error quotes the body it could not
 * parse (a bridge request with the PIN), and a body can be echoed in an error message.
 */
const SECRET_JSON_MEMBER = /("(?:code|code_verifier|access_token|refresh_token|id_token|token|login_token|assertion|client_assertion|client_secret|request|request_uri|ticket|pin|puk|new_pin|newPin|currentPin|current_pin|password|current|next|again)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// JWS (3 parts) and JWE (5 parts) compact serialisations start with the base64url of `{"`.
const COMPACT_JWT = /eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
const HTTP_CREDENTIALS = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi;
// A card assertion (docs/assertion.md) is JSON with a certificate and a signature: drop the whole value.
const CARD_ASSERTION = /\{[^{}]*"format"\s*:\s*"cie-assertion:[^{}]*\}/g;
// A password in a URL (redis://user:password@host, postgres://…) as connection errors repeat it.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/**
 * What every pattern above needs at least one of (`"` for the JSON and the card assertion, `=` for
 * parameters, `@` for a URL's password, `eyJ` for a JWT, a scheme name for HTTP credentials): a text
 * with none of them (a path, a method, an event name: most fields of most lines) is returned as is,
 * after one scan instead of six.
 */
const MAY_HOLD_A_SECRET = /["=@]|eyJ|bearer|basic|dpop/i;

export function redactText(text: string): string {
  if (!MAY_HOLD_A_SECRET.test(text)) return text;
  return text
    .replace(CARD_ASSERTION, REDACTED)
    .replace(URL_PASSWORD, (_match, prefix: string) => `${prefix}${REDACTED}@`)
    .replace(COMPACT_JWT, REDACTED)
    .replace(HTTP_CREDENTIALS, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_PARAMETER, (_match, name: string) => `${name}=${REDACTED}`)
    .replace(SECRET_JSON_MEMBER, (_match, member: string) => `${member}"${REDACTED}"`);
}

const MAX_DEPTH = 8;

/** A copy of `value` fit for a log line; the input is never modified. */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: redactText(value.message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    copy[key] = isSecretField(key, item) ? REDACTED : redactForLog(item, depth + 1);
  }
  return copy;
}
