/**
 * Whether the demo's outbox page may be served: only on a plain-http loopback origin (the demo, the
 * tests). A provider reachable by others never shows mail, even if its operator forgot SMTP_URL:
 * the page would hand out every citizen's one-time codes.
 */
export function outboxPageAllowed(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
