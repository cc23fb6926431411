import { readFileSync } from 'node:fs';
import { ConfigError, loadBridgeConfig, loadProviderConfig } from '../../src/config/config.js';
import { bridgeOptions, providerOptions } from '../../src/config/options.js';
import { profileLifetimes, tokenLifetimes } from '../../src/oidc/token-lifetimes.js';

test('every setting is documented in the README configuration table, with its default', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const option of [...Object.values(providerOptions), ...Object.values(bridgeOptions)]) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${option.env}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(option.default ? `\`${option.default}\`` : '(empty)');
  }
});

test('defaults give a working demo configuration', () => {
  const config = loadProviderConfig({});
  expect(config.issuer).toBe('http://localhost:3000');
  expect(config.origin).toBe('http://localhost:3000');
  expect(config.revocationFailOpen).toBe(false);
  expect(loadBridgeConfig({}).allowedOrigins).toEqual(['http://localhost:3000']);
});

test('the issuer origin drops path and trailing slash; bad values are refused with the variable name', () => {
  expect(loadProviderConfig({ ISSUER: 'https://id.example.it/oidc/' }).origin).toBe('https://id.example.it');
  expect(() => loadProviderConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadProviderConfig({ CIE_REVOCATION: 'never' })).toThrow(ConfigError);
  expect(() => loadBridgeConfig({ BRIDGE_ALLOWED_ORIGINS: 'ftp://x' })).toThrow(/BRIDGE_ALLOWED_ORIGINS/);
});

test('the Redis TLS files are paths, unset by default; the Redis client reads and checks them', () => {
  expect(loadProviderConfig({}).redisTls).toEqual({ caFile: '', certFile: '', keyFile: '' });
  const env = { REDIS_URL: 'rediss-cluster://n1:7000', REDIS_TLS_CA: '/etc/redis/ca.pem', REDIS_TLS_CERT: '/etc/redis/client.pem', REDIS_TLS_KEY: '/etc/redis/client-key.pem' };
  expect(loadProviderConfig(env).redisTls).toEqual({ caFile: '/etc/redis/ca.pem', certFile: '/etc/redis/client.pem', keyFile: '/etc/redis/client-key.pem' });
});

test('token lifetimes come from the environment, default to the profile\'s, and the profile caps are enforced', () => {
  expect(loadProviderConfig({}).lifetimes).toEqual(profileLifetimes);
  const config = loadProviderConfig({ ACCESS_TOKEN_TTL: '600', REFRESH_TOKEN_TTL: '86400', OFFLINE_CONSENT_TTL: '172800' });
  expect(tokenLifetimes(config.lifetimes)).toMatchObject({ accessToken: 600, refreshToken: 86400, offlineConsent: 172800, idToken: 300 });
  expect(() => loadProviderConfig({ REFRESH_TOKEN_TTL: String(31 * 86400) })).toThrow(/REFRESH_TOKEN_TTL/);
  expect(() => tokenLifetimes(loadProviderConfig({ OFFLINE_CONSENT_TTL: '3600' }).lifetimes)).toThrow(ConfigError);
});
