import { cspViolation } from '../support/csp-violation.js';

// The browser tests' problem lines must name the page and the directive broken, even for a long data: URL.
const ICON = `data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='${'M1 1h1v1z'.repeat(40)}'%3E%3C/path%3E%3C/svg%3E`;

test('a data: image blocked by img-src: the page, the start of the URL and the directive, not the whole URL', () => {
  const line = cspViolation('http://localhost:3000/interaction/x', `Loading the image '${ICON}' violates the following Content Security Policy directive: "img-src 'self'". The action has been blocked.`)!;
  expect(line.startsWith('http://localhost:3000/interaction/x: Loading the image \'data:image/svg+xml,')).toBe(true);
  expect(line).toContain('violates the following Content Security Policy directive: "img-src \'self\'"');
  expect(line.length).toBeLessThan(260);
});

test('a script blocked "because it violates": cut the same way; a message without a URL is kept whole', () => {
  const script = cspViolation('http://p/', `Refused to load the script 'data:text/javascript;base64,${'YWxlcnQoMSk7'.repeat(30)}' because it violates the following Content Security Policy directive: "script-src 'self'".`)!;
  expect(script).toMatch(/^http:\/\/p\/: Refused to load the script 'data:text\/javascript;base64,.{1,40}…' because it violates .*"script-src 'self'"/);
  const inline = 'Refused to apply inline style because it violates the following Content Security Policy directive: "style-src \'self\'".';
  expect(cspViolation('http://p/', inline)).toBe(`http://p/: ${inline}`);
});

test('other console messages are no CSP violation', () => {
  expect(cspViolation('http://p/', 'Failed to load resource: the server responded with a status of 404')).toBeUndefined();
});
