import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { reachableFrom as reachableFiles } from '../support/import-graph.js';

// The import rules of docs/architecture.md: each area may import only the areas listed for it,
// and the file-level import graph has no cycles.
const allowed: Record<string, string[]> = {
  shared: [],
  config: ['shared'],
  transport: ['shared', 'simulator/virtual-card-port'],
  card: ['shared', 'transport'],
  // The local trust anchor records into its own metrics registry and serves it on loopback (docs/operations.md).
  simulator: ['shared', 'simulator', 'transport/card-transport', 'federation', 'observability/anchor-metrics', 'observability/loopback-metrics-server'],
  // The CieID-app simulator is a second host of the card (NFC is only a transport): it uses the host side of the
  // protocol, which the virtual card (simulator/card, written independently) must not.
  'simulator/app': ['shared', 'simulator', 'card', 'transport'],
  // The virtual card handed to the bridge (the demo, the tests, the developer command cie-bridge-virtual).
  'simulator/virtual-bridge': ['shared', 'simulator', 'transport', 'bridge'],
  // Storage declares the contracts the other rooms use (StateStore, KeyValueStore, the outage error).
  storage: ['shared', 'config'],
  cie: ['shared', 'observability/metrics', 'storage/key-value-store'],
  oidc: ['shared', 'config', 'storage'],
  // Sign-in methods (card, smartphone, password, passkey): each a room of its own, used by whoever waits for a verified citizen.
  // password/ and passkey/ sign in with the credentials of levels 1 and 2 (mail: a code not sent is the table's mail_unavailable).
  'sign-in': ['shared', 'config', 'oidc', 'cie', 'storage', 'observability/metrics', 'credentials', 'mail'],
  interaction: ['shared', 'config', 'oidc', 'cie', 'storage', 'sign-in', 'observability/metrics'],
  // The account page is a waiter of the sign-in methods (never the interaction's); it manages the citizen's credentials of levels 1 and 2.
  account: ['shared', 'config', 'oidc', 'cie', 'storage', 'sign-in', 'credentials', 'mail'],
  // The bridge records into its own metrics registry and serves it on loopback when BRIDGE_METRICS_PORT asks.
  bridge: ['shared', 'config', 'card', 'transport', 'cie/identity', 'observability/bridge-metrics', 'observability/loopback-metrics-server'],
  'demo-rp': ['shared'],
  federation: ['shared', 'config', 'oidc', 'observability/metrics'],
  // storage/database: the durable database (PostgreSQL/PGlite, migration sets), for any room that keeps durable records.
  registry: ['shared', 'config', 'observability/metrics', 'storage/database'],
  // Levels 1 and 2 (issue 19): accounts, passwords, passkeys, e-mail codes on the durable database; mail transports;
  // the breached-password look-ups' outcomes recorded into observability/metrics.ts.
  credentials: ['shared', 'config', 'storage', 'mail', 'oidc/acr', 'observability/metrics'],
  mail: ['shared', 'config'],
  // Metrics (prom-client) and their server; the rooms above record into observability/metrics.ts only.
  observability: ['shared', 'config'],
  demo: ['*'],
  top: ['*'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const root = resolve('src');
const files = sourceFiles(root);
const area = (file: string) => {
  const parts = relative(root, file).split('/');
  if (parts[0] === 'simulator' && (parts[1] === 'app' || parts[1] === 'virtual-bridge') && parts.length > 2) return `simulator/${parts[1]}`;
  return parts.length === 1 ? 'top' : parts[0]!;
};
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)]
    .map((m) => resolve(dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts'));

test('no area imports an area above it', () => {
  const violations: string[] = [];
  for (const file of files) {
    const from = area(file);
    for (const target of importsOf(file)) {
      const to = relative(root, target).replace(/\.ts$/, '');
      const toArea = area(target);
      if (toArea === from || allowed[from]!.includes('*')) continue;
      if (!allowed[from]!.some((rule) => to === rule || to.startsWith(`${rule}/`) || toArea === rule)) violations.push(`${relative(root, file)} → ${to}`);
    }
  }
  expect(violations).toEqual([]);
});

test('the import graph has no cycles', () => {
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((t) => files.includes(t))]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file)!) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

test('only storage/ speaks to Redis, only storage/database/ to PostgreSQL, and no source file reaches the test launchers', () => {
  const offenders = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const inStorage = relative(root, file).startsWith('storage/');
    const redis = !inStorage && /from\s+'ioredis'/.test(text) ? [`${relative(root, file)} → ioredis`] : [];
    const inDatabase = relative(root, file).startsWith('storage/database/');
    const driver = !inDatabase && /from\s+'(pg|@electric-sql\/pglite)'/.test(text) ? [`${relative(root, file)} → a database driver`] : [];
    const launchers = importsOf(file).filter((target) => !target.startsWith(root)).map((target) => `${relative(root, file)} → ${relative(root, target)}`);
    return [...redis, ...driver, ...launchers];
  });
  expect(offenders).toEqual([]);
});

// Every relative import, type-only ones too, static or dynamic with a literal path (the walker test/unit/production-dependencies.test.ts shares).
function reachableFrom(entry: string): string[] {
  return reachableFiles(join(root, entry), files, { typesToo: true }).map((file) => relative(root, file));
}

test('the production entries (the provider server, the cie-bridge CLI) never reach the simulator', () => {
  const graphs = { 'server.ts': reachableFrom('server.ts'), 'bridge/cli.ts': reachableFrom('bridge/cli.ts') };
  // The walk itself works: each entry reaches what it runs.
  expect(graphs['server.ts']).toEqual(expect.arrayContaining(['provider-app.ts', 'sign-in/card/card-sign-in.ts']));
  expect(graphs['bridge/cli.ts']).toEqual(expect.arrayContaining(['bridge/cli/run-cli.ts', 'bridge/start-bridge.ts', 'transport/pcsc/pcsc-terminal.ts']));
  const offenders = Object.entries(graphs).flatMap(([entry, reached]) => reached.filter((file) => file.startsWith('simulator/')).map((file) => `${entry} → ${file}`));
  expect(offenders).toEqual([]);
});

// The sign-in rooms (card/, smartphone/, password/, passkey/, app-approval/) import only from the hall, sign-in/'s top
// level: what two rooms share lives there, what one needs of another reaches it through the composition. The hall
// imports no room (the direction is rooms → hall).
test('no sign-in room imports another room, and the hall imports none', () => {
  const roomOf = (file: string) => {
    const parts = relative(root, file).split('/');
    return parts[0] === 'sign-in' && parts.length > 2 ? parts[1] : undefined;
  };
  expect(new Set(files.map(roomOf))).toEqual(new Set([undefined, 'card', 'smartphone', 'password', 'passkey', 'app-approval']));
  const inHall = (file: string) => relative(root, file).split('/').length === 2 && relative(root, file).startsWith('sign-in/');
  const crossings = files.flatMap((file) => {
    const from = roomOf(file);
    if (inHall(file)) return importsOf(file).filter((target) => roomOf(target) !== undefined).map((target) => `${relative(root, file)} → ${relative(root, target)}`);
    return from ? importsOf(file).filter((target) => ![undefined, from].includes(roomOf(target))).map((target) => `${relative(root, file)} → ${relative(root, target)}`) : [];
  });
  expect(crossings).toEqual([]);
});
