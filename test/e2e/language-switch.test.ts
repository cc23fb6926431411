import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { decodeHtml, formIn } from '../support/test-browser.js';

// Issue 16: the language switch keeps the citizen where they are. The error page after a cancel is
// reached through a one-time ticket; reloading that link would only say "expired".
let stack: TestStack;

beforeAll(async () => {
  // Two card challenges per sign-in: the third "Entra con CIE" is the 429 page tested below.
  stack = await startTestStack({ providerEnv: { CARD_CHALLENGES_PER_INTERACTION: '2' } });
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

function switchHref(html: string): string {
  const link = /<a [^>]*href="([^"]*)"[^>]*id="switch-language"/.exec(html);
  if (!link) throw new Error('no language switch on the page');
  return decodeHtml(link[1]!);
}

test('after a cancel at the bridge, the switch shows the same error in English, and again in Italian', async () => {
  const flow = new CardLoginFlow(stack);
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage());
  const cancel = formIn(pinPage.body, { action: /\/cie\/assertion$/ });
  const errorPage = await flow.browser.post(cancel.action, cancel.fields, stack.bridge.url);
  expect(errorPage.body).toContain('data-code="cancelled"');
  expect(errorPage.url).toContain('ticket=');

  const english = await flow.browser.get(new URL(switchHref(errorPage.body), errorPage.url).href);
  expect(english.body).toContain('<html lang="en"');
  expect(english.body).toContain('data-code="cancelled"');
  expect(english.body).toContain('id="retry"');
  expect(english.url).not.toContain('ticket=');

  const italian = await flow.browser.get(new URL(switchHref(english.body), english.url).href);
  expect(italian.body).toContain('<html lang="it"');
  expect(italian.body).toContain('data-code="cancelled"');
}, 60_000);

test('a failure page cannot be made up for a code the provider does not know', async () => {
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  const made = await flow.browser.get(new URL(`${new URL(loginPage.url).pathname}/cie/failed?code=${encodeURIComponent('<b>x</b>')}`, loginPage.url).href);
  expect(made.body).not.toContain('<b>x</b>');
  expect(made.body).not.toContain('data-code="&lt;b&gt;');
});

test('the switch keeps the rest of the query string of an ordinary page', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await flow.browser.get(`${stack.issuer}/account?done=signed-out`);
  const href = switchHref(page.body);
  const target = new URL(href, page.url);
  expect(target.pathname).toBe('/account');
  expect(target.searchParams.get('done')).toBe('signed-out');
  expect(target.searchParams.get('lang')).toBe('en');
});

test('the 429 page, drawn for a form post, switches to the sign-in\'s login page rather than a GET of the post', async () => {
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  const { action } = formIn(loginPage.body, { action: /\/cie$/ });
  const cardStep = new URL(action, loginPage.url).href;
  // "Entra con CIE" without following the redirect to the bridge, with the sign-in's cookies.
  const click = async () => fetch(cardStep, { method: 'POST', redirect: 'manual', headers: { cookie: await flow.browser.jar.getCookieString(cardStep), origin: stack.issuer, accept: 'text/html' } });
  let answer = await click();
  for (let attempt = 0; attempt < 3 && answer.status !== 429; attempt++) answer = await click();
  expect(answer.status).toBe(429);
  const target = new URL(switchHref(await answer.text()), cardStep);
  expect(target.pathname).toBe(new URL(loginPage.url).pathname);
  const english = await flow.browser.get(target.href);
  expect(english.status).toBe(200);
  expect(english.body).toContain('<html lang="en"');
  expect(english.body).toContain('id="entra-con-cie"');
});
