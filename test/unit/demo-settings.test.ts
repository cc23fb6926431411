import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeOptions, providerOptions } from '../../src/config/options.js';
import { DEMO_DEFAULTS, demoSettings } from '../../src/demo/demo-settings.js';
import { loadClientsFile } from '../../src/oidc/clients-file.js';

test('npm start passes on every variable of the configuration table that is set, as it is', () => {
  const env = Object.fromEntries([...Object.values(providerOptions), ...Object.values(bridgeOptions)].map((option, index) => [option.env, `value-${index}`]));
  const settings = demoSettings({ ...env, PORT: '4100', BRIDGE_PORT: '4101' });
  for (const option of Object.values(providerOptions)) {
    if (option.env !== 'PORT') expect(settings.providerEnv?.[option.env]).toBe(env[option.env]);
  }
  for (const option of Object.values(bridgeOptions)) {
    if (option.env !== 'BRIDGE_PORT') expect(settings.bridgeEnv?.[option.env]).toBe(env[option.env]);
  }
  expect(settings.ports).toMatchObject({ provider: 4100, bridge: 4101 });
  expect(settings.fromEnvironment).toHaveLength(Object.keys(env).length);
});

test('what is not set is not passed: the demo\'s own values (printed) and the table\'s defaults apply', () => {
  const settings = demoSettings({ DEMO_DIR: 'elsewhere', DEMO_RP_PORT: '5001', DEMO_PKI_PORT: '5002', DEMO_TA_PORT: '5003', DEMO_APP_PORT: '5004' });
  expect(settings).toMatchObject({ dir: 'elsewhere', keysDir: 'keys', providerEnv: {}, bridgeEnv: {}, fromEnvironment: [] });
  expect(settings.ports).toEqual({ provider: 3000, bridge: 3900, rp: 5001, pki: 5002, ta: 5003, app: 5004 });
  expect(demoSettings({}).ports.ta).toBe(8970);
  expect(demoSettings({}).ports.app).toBe(3002);
  expect(Object.keys(DEMO_DEFAULTS)).toContain('BRIDGE_TRANSPORT');
  expect(() => demoSettings({ PORT: 'eighty' })).toThrow(/PORT/);
});

test('CLIENTS_FILE: a userinfo_content_type other than application/jwt or application/jose is refused at start, naming the client', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cie-clients-'));
  try {
    const file = join(dir, 'clients.json');
    await writeFile(file, JSON.stringify([{ client_id: 'https://rp.example', userinfo_content_type: 'application/jose' }]));
    await expect(loadClientsFile(file)).resolves.toHaveLength(1);
    await writeFile(file, JSON.stringify([{ client_id: 'https://rp.example', userinfo_content_type: 'application/json' }]));
    await expect(loadClientsFile(file)).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('https://rp.example') });
    // Every extra client setting is checked the same way, by the provider's own validator.
    await writeFile(file, JSON.stringify([{ client_id: 'https://rp.example', legacy_request_objects: 'yes' }]));
    await expect(loadClientsFile(file)).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/https:\/\/rp\.example.*legacy_request_objects must be a boolean/) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
