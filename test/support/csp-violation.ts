/**
 * A browser console message as a test's "problem" line when it reports a CSP violation, else undefined:
 * the page it happened on, then Chromium's words with any data: URL cut short. A data: icon's URL runs to
 * hundreds of characters before the directive it broke; cutting the message's end (as a plain slice did)
 * hid which directive that was, and a failing CI run must say it.
 */
export function cspViolation(pageUrl: string, message: string): string | undefined {
  if (!/Content Security Policy/i.test(message)) return undefined;
  // Chromium: "Loading the image '<url>' violates …" / "Refused to load the script '<url>' because it violates …".
  const readable = message.replace(/(data:[^,]{0,40},.{0,30}).*?(?=' (?:violates|because) )/gs, '$1…');
  return `${pageUrl}: ${readable}`;
}
