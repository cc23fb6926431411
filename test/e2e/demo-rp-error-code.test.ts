import { startTestStack, type TestStack } from '../support/local-stack.js';
import { TestBrowser } from '../support/test-browser.js';

// Issue 16 item 6: the demo RP says "negato" for the provider's access_denied, recognised by the
// error code itself, never by how the text of the answer begins.
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

async function callbackWith(query: Record<string, string>): Promise<string> {
  const browser = new TestBrowser(stack.issuer);
  await browser.get(`${stack.rpUrl}/login`);
  return (await browser.get(`${stack.rpUrl}/callback?${new URLSearchParams(query).toString()}`)).body;
}

test('access_denied is the denied message', async () => {
  const body = await callbackWith({ error: 'access_denied', error_description: 'the citizen cancelled the sign-in' });
  expect(body).toContain('data-error="access_denied"');
  expect(body).toContain('Accesso negato');
});

test('another code that merely begins with access_denied is not', async () => {
  const body = await callbackWith({ error: 'access_denied_by_policy', error_description: 'x' });
  expect(body).toContain('data-error="other"');
  expect(body).not.toContain('Accesso negato');
});
