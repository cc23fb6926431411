import Koa from 'koa';
import request from 'supertest';
import { CodedError } from '../../src/shared/coded-error.js';
import { typedErrorPages } from '../../src/shared/errors/typed-error-pages.js';
import { RequestBodyError } from '../../src/shared/form-body.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';

// The one factory behind the interaction's, the ceremonies' and the card's error pages: the router names the classes.
class StepError extends CodedError<'challenge_unknown' | 'unknown_waiter'> {}

function appThrowing(error: unknown) {
  const app = new Koa();
  app.silent = true;
  const emitted: unknown[] = [];
  app.on('error', (emittedError: unknown) => emitted.push(emittedError));
  app.use(typedErrorPages([{ type: RequestBodyError }, { type: StepError, shownAs: 'challenge_unknown' }]));
  app.use(() => {
    throw error;
  });
  return { agent: request(app.callback()), emitted };
}

test('a named class is answered with its own code (the table status), or with the code it is shown as; nothing is logged', async () => {
  const body = appThrowing(new RequestBodyError('body_too_large', 'too large'));
  const tooLarge = await body.agent.get('/').set('Accept-Language', 'en');
  expect(tooLarge.status).toBe(413);
  expect(tooLarge.text).toContain('data-code="body_too_large"');
  expect(body.emitted).toEqual([]);

  const step = appThrowing(new StepError('unknown_waiter', 'nobody waits'));
  const unknown = await step.agent.get('/');
  expect(unknown.status).toBe(400);
  expect(unknown.text).toContain('data-code="challenge_unknown"');
  expect(step.emitted).toEqual([]);
});

test('anything else is the 500 page and logged, but a storage outage is left to the storage guard', async () => {
  const bug = new Error('our bug');
  const thrown = appThrowing(bug);
  const page = await thrown.agent.get('/');
  expect(page.status).toBe(500);
  expect(page.text).toContain('data-code="server_error"');
  expect(thrown.emitted).toEqual([bug]);

  const outage = appThrowing(new StorageUnavailableError(new Error('connection refused')));
  expect((await outage.agent.get('/')).status).toBe(500);
  expect(outage.emitted).toEqual([]);
});
