/**
 * The authenticator's answer as the page posts it (views/assets/sign-in/webauthn.js puts the JSON in
 * the form's `response` field): an object, or undefined for an empty (cancelled) or malformed answer.
 * @simplewebauthn/server checks the fields themselves.
 */
export function parsedWebAuthnAnswer<Answer extends object>(text: string): Answer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Answer) : undefined;
  } catch {
    return undefined;
  }
}
