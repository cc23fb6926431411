import Koa from 'koa';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { hostNameOf, isLoopbackName, issuerHost } from '../../src/oidc/issuer-host.js';

// ALLOWED_HOSTS and the names issuer-host.ts compares (docs/operations.md, "The Host header").
const base = { CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'https://id.example.it' };

test('ALLOWED_HOSTS: bare names, IP literals included, lower-cased; empty by default', () => {
  expect(loadProviderConfig(base).allowedHosts).toEqual([]);
  expect(loadProviderConfig({ ...base, ALLOWED_HOSTS: 'Provider.Backend.svc, 10.0.0.7,[fd00::1]' }).allowedHosts).toEqual(['provider.backend.svc', '10.0.0.7', '[fd00::1]']);
});

test('ALLOWED_HOSTS refuses a scheme, a port, a path or user info: a name is compared without them', () => {
  for (const wrong of ['https://provider', 'provider:3000', 'provider/x', 'user@provider', 'pro vider']) {
    expect(() => loadProviderConfig({ ...base, ALLOWED_HOSTS: wrong })).toThrow(/ALLOWED_HOSTS/);
  }
});

test('a Host value\'s name: lower case without the port; nothing for a value that names another host than it reads', () => {
  expect(hostNameOf('ID.Example.it:8443')).toBe('id.example.it');
  expect(hostNameOf('[::1]:3000')).toBe('[::1]');
  expect(hostNameOf('id.example.it.:443')).toBe('id.example.it');
  expect(hostNameOf('')).toBe('');
  expect(hostNameOf('evil.example/x')).toBeUndefined();
  expect(hostNameOf('a b')).toBeUndefined();
});

test('loopback names are localhost, 127.0.0.0/8 and [::1]; a name merely starting like one is not', () => {
  for (const name of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect([name, isLoopbackName(name)]).toEqual([name, true]);
  for (const name of ['localhost.evil.example', '127.0.0.1.evil.example', 'evil.localhost', '10.0.0.1', '[::2]']) expect([name, isLoopbackName(name)]).toEqual([name, false]);
});

test('an ALLOWED_HOSTS name written with its trailing dot is the same name as the Host without it (both compared in canonical form)', async () => {
  const allowedHosts = loadProviderConfig({ ...base, ALLOWED_HOSTS: 'Provider.Internal.' }).allowedHosts;
  const app = new Koa();
  app.use(issuerHost({ issuer: 'https://id.example.it', allowedHosts }));
  app.use((ctx) => {
    ctx.body = ctx.host;
  });
  for (const host of ['provider.internal', 'PROVIDER.internal.:8080']) {
    const answer = await request(app.callback()).get('/').set('Host', host);
    expect([host, answer.status, answer.text]).toEqual([host, 200, 'id.example.it']);
  }
  expect((await request(app.callback()).get('/').set('Host', 'other.internal')).status).toBe(421);
});
