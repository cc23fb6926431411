import { interpolate } from './support/compose-project.js';
import { mapEnvironment } from './support/container-mapping.js';

// The two rewrites the compose rehearsal relies on: compose's interpolation, and the one mapping from
// places inside Docker to places on this machine (support/container-mapping.ts).

test('interpolation as compose does it: required variables, defaults, $$ for a literal $', () => {
  const env = { SET: 'value', EMPTY: '' };
  expect(interpolate('a ${SET:?needed} b', env)).toBe('a value b');
  expect(() => interpolate('${MISSING:?set MISSING}', env)).toThrow('required variable MISSING is missing a value: set MISSING');
  expect(() => interpolate('${EMPTY:?set EMPTY}', env)).toThrow(/EMPTY/);
  expect(interpolate('${EMPTY?unset only}', env)).toBe('');
  expect(interpolate('${MISSING:-fallback} ${EMPTY:-fallback} [${EMPTY-unused}] ${MISSING-fallback}', env)).toBe('fallback fallback [] fallback');
  expect(interpolate('REDISCLI_AUTH="$$REDIS_PASSWORD" $SET', env)).toBe('REDISCLI_AUTH="$REDIS_PASSWORD" value');
});

test('only what names a place inside Docker is rewritten: service hosts, the service\'s own ports and 0.0.0.0, bind-mounted paths', () => {
  const mapping = { hosts: { redis: 41001, postgres: 41002 }, ports: { '3000': 41003, '9464': 41004 }, paths: { '/keys': '/tmp/x/deploy/keys', '/config/clients.json': '/tmp/x/deploy/clients.json', '/config/cie': '/tmp/x/deploy/cie' } };
  expect(mapEnvironment({
    REDIS_URL: 'redis://:pw@redis:6379',
    DATABASE_URL: 'postgres://cie_provider:pw@postgres:5432/cie_registry',
    ISSUER: 'https://id.example.it',
    PORT: '3000',
    METRICS_PORT: '9464',
    REGISTRY_CHECKPOINT_INTERVAL: '3600',
    HOST: '0.0.0.0',
    KEYS_DIR: '/keys',
    CLIENTS_FILE: '/config/clients.json',
    CIE_TRUST_ANCHORS: '/config/cie/root-ca.pem',
    LOG_LEVEL: 'info',
    OTHER_URL: 'https://redis.example.it/x',
  }, mapping)).toEqual({
    REDIS_URL: 'redis://:pw@127.0.0.1:41001',
    DATABASE_URL: 'postgres://cie_provider:pw@127.0.0.1:41002/cie_registry',
    ISSUER: 'https://id.example.it',
    PORT: '41003',
    METRICS_PORT: '41004',
    REGISTRY_CHECKPOINT_INTERVAL: '3600',
    HOST: '127.0.0.1',
    KEYS_DIR: '/tmp/x/deploy/keys',
    CLIENTS_FILE: '/tmp/x/deploy/clients.json',
    CIE_TRUST_ANCHORS: '/tmp/x/deploy/cie/root-ca.pem',
    LOG_LEVEL: 'info',
    OTHER_URL: 'https://redis.example.it/x',
  });
});
