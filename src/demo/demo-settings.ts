import { bridgeOptions, providerOptions } from '../config/options.js';
import type { LocalStackOptions } from './local-stack.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Ports of the demo's own parts that have no production setting (the demo RP, the test PKI, the local trust anchor, the CieID-app simulator). */
export const DEMO_PORT_VARIABLES = { rp: 'DEMO_RP_PORT', pki: 'DEMO_PKI_PORT', ta: 'DEMO_TA_PORT', app: 'DEMO_APP_PORT' } as const;

/**
 * Where the demo's defaults differ from the production defaults of the configuration table, and why.
 * Each one still gives way to the variable when it is set.
 */
export const DEMO_DEFAULTS: Readonly<Record<string, string>> = {
  HOST: '127.0.0.1 (the demo is for this machine only)',
  BRIDGE_URL: 'the demo bridge, http://127.0.0.1:<BRIDGE_PORT>',
  BRIDGE_ALLOWED_ORIGINS: 'the origin of ISSUER',
  BRIDGE_TRANSPORT: 'virtual (the demo card file)',
  BRIDGE_VIRTUAL_CARD: '<DEMO_DIR>/cards/demo-card.json, minted on first run',
  BRIDGE_DEVICE_KEYS: '<DEMO_DIR>/device-auth.json, made on first run',
  CIE_TRUST_ANCHORS: 'the demo test PKI in <DEMO_DIR>/pki',
  CIE_INTERMEDIATES: 'the demo test PKI in <DEMO_DIR>/pki',
  FEDERATION_TRUST_ANCHORS: 'the local trust anchor, <DEMO_DIR>/federation/trust-anchors.json',
};

export interface DemoSettings extends Omit<LocalStackOptions, 'audit' | 'draining'> {
  /** The documented variables this environment sets (names only: values may be secrets). */
  fromEnvironment: string[];
}

function port(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${text}"`);
  return value;
}

function setOnly(env: Env, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])));
}

/**
 * `npm start`'s settings: every variable of the configuration table that the environment sets is
 * passed on as it is (CLIENTS_FILE, REDIS_URL, the TTLs, BRIDGE_TRANSPORT…); PORT and BRIDGE_PORT
 * move the demo's listeners; what is not set takes the demo's value (DEMO_DEFAULTS) or the table's.
 */
export function demoSettings(env: Env): DemoSettings {
  const providerVariables = Object.values(providerOptions).map((option) => option.env);
  const bridgeVariables = Object.values(bridgeOptions).map((option) => option.env);
  const dir = env.DEMO_DIR || 'var';
  return {
    dir,
    keysDir: env[providerOptions.keysDir.env] || providerOptions.keysDir.default,
    bridgeInChildProcess: true,
    ports: {
      provider: port(env, providerOptions.port.env, Number(providerOptions.port.default)),
      bridge: port(env, bridgeOptions.port.env, Number(bridgeOptions.port.default)),
      rp: port(env, DEMO_PORT_VARIABLES.rp, 3001),
      pki: port(env, DEMO_PORT_VARIABLES.pki, 8980),
      ta: port(env, DEMO_PORT_VARIABLES.ta, 8970),
      app: port(env, DEMO_PORT_VARIABLES.app, 3002),
    },
    providerEnv: setOnly(env, providerVariables),
    bridgeEnv: setOnly(env, bridgeVariables),
    fromEnvironment: [...providerVariables, ...bridgeVariables].filter((name) => env[name] !== undefined),
  };
}
