import { ConfigError, loadProviderConfig } from '../../src/config/config.js';
import { defaultLogLevel, logLevelFrom } from '../../src/shared/logger.js';

test('LOG_LEVEL: a pino level; empty means info, or warn inside jest; anything else is refused', () => {
  expect(loadProviderConfig({ LOG_LEVEL: 'debug' }).observability.logLevel).toBe('debug');
  expect(loadProviderConfig({}).observability.logLevel).toBe(defaultLogLevel({}));
  expect(() => loadProviderConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  // This test runs inside a jest worker; a process without jest's globals logs at info.
  expect(defaultLogLevel({ JEST_WORKER_ID: '1' })).toBe('warn');
  expect(defaultLogLevel({})).toBe('info');
  expect(logLevelFrom({ LOG_LEVEL: 'error' })).toBe('error');
  expect(logLevelFrom({ LOG_LEVEL: 'nonsense' })).toBe('info');
});

test('metrics: port 9464 on loopback by default, off when METRICS_PORT is empty, off the loopback only with a long token', () => {
  expect(loadProviderConfig({}).observability.metrics).toEqual({ port: 9464, host: '127.0.0.1', token: '' });
  expect(loadProviderConfig({ METRICS_PORT: '' }).observability.metrics).toBeUndefined();
  expect(() => loadProviderConfig({ METRICS_HOST: '0.0.0.0' })).toThrow(ConfigError);
  expect(() => loadProviderConfig({ METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  const token = 'k'.repeat(32);
  expect(loadProviderConfig({ METRICS_HOST: '0.0.0.0', METRICS_TOKEN: token, METRICS_PORT: '9100' }).observability.metrics).toEqual({ port: 9100, host: '0.0.0.0', token });
  expect(() => loadProviderConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
});
