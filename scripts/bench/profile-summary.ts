// Top costs of a V8 .cpuprofile (from `node --cpu-prof` or bench --cpu-profile): self time by owner
// (our code, oidc-provider, koa/HTTP, crypto, Redis client, …), by package and by function, and total
// (inclusive) time by function. Usage: node dist/scripts/bench/profile-summary.js <file.cpuprofile> [top=25]
// [fromSeconds toSeconds]: only samples in that stretch of the run, e.g. the saturated phase without
// start-up and warm-up (the busy-per-second timeline printed first shows where the phases are).
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [path, topArgument, fromArgument, toArgument] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-summary.js <file.cpuprofile> [top] [fromSeconds toSeconds]');
const top = Number(topArgument ?? 25);
const fromMicros = Number(fromArgument ?? 0) * 1e6;
const toMicros = toArgument === undefined ? Infinity : Number(toArgument) * 1e6;
const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));

// Self time per sample: the delta that follows it (V8 records the gap before the next sample).
const selfMicros = new Map<number, number>();
const busyPerSecond: { busy: number; all: number }[] = [];
let sampledAt = 0;
profile.samples.forEach((id, index) => {
  sampledAt += profile.timeDeltas[index] ?? 0;
  const micros = profile.timeDeltas[index + 1] ?? 0;
  const second = (busyPerSecond[Math.floor(sampledAt / 1e6)] ??= { busy: 0, all: 0 });
  second.all += micros;
  if (nodeById.get(id)!.callFrame.functionName !== '(idle)') second.busy += micros;
  if (sampledAt >= fromMicros && sampledAt < toMicros) selfMicros.set(id, (selfMicros.get(id) ?? 0) + micros);
});
console.log(`Busy % per second of the run: ${busyPerSecond.map((s, second) => `${second}:${s ? Math.round((100 * s.busy) / Math.max(s.all, 1)) : 0}`).join(' ')}`);

/** node_modules/<package> or the project path from src/ or scripts/ on, so the table names who pays. */
function where(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  // The build may live in any output directory (dist/ by default).
  const project = url.match(/\/((?:src|scripts)\/.*)$/);
  return project ? project[1]! : url.replace(/^file:\/\//, '');
}

const OWNERS: [owner: string, places: RegExp][] = [
  ['(a) our code', /^(src|scripts)\/|^ejs$/],
  ['(b) oidc-provider', /^(oidc-provider|quick-lru|nanoid|@koa\/cors|paseto|jsesc|eta)$/],
  ['(c) koa / HTTP', /^(koa|@koa\/.*|koa-compose|http-errors|statuses|cookies|keygrip|raw-body|content-type|accepts|negotiator|type-is|mime-types|on-finished|vary|koa-.*|node:_http_.*|node:http)$/],
  ['(d) crypto', /^(jose|@peculiar\/.*|asn1js|pkijs|pvtsutils|pvutils|node:internal\/crypto\/.*|node:crypto)$/],
  ['(e) Redis client', /^(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback)$/],
];
const ownerOfPlace = (place: string) => OWNERS.find(([, places]) => places.test(place))?.[0];

const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/**
 * Who pays for a sample: the frame itself when it has an owner (node:crypto called from anywhere is
 * crypto), else its nearest caller in an owned package or project file (a socket write under ioredis
 * is Redis, under koa HTTP), else its nearest owned node: caller.
 */
function ownerOf(id: number): string {
  const callers: string[] = [];
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) callers.push(where(nodeById.get(current)!.callFrame.url));
  const owned = (place: string | undefined) => (place === undefined ? undefined : ownerOfPlace(place));
  const owner =
    owned(callers[0]) ??
    owned(callers.find((place) => !place.startsWith('node:') && ownerOfPlace(place))) ??
    owned(callers.find((place) => ownerOfPlace(place)));
  if (owner) return owner;
  const { functionName } = nodeById.get(id)!.callFrame;
  return functionName === '(idle)' ? '(idle)' : functionName === '(garbage collector)' ? '(garbage collector)' : '(other: node internals, V8, other packages)';
}

const frameName = (node: ProfileNode, withLine: boolean) => {
  const place = where(node.callFrame.url);
  return `${node.callFrame.functionName || '(anonymous)'}  [${place}${withLine && node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}]`;
};

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const owner = ownerOf(node.id);
  add(byOwner, owner, micros);
  add(byFunction, `${frameName(node, true)}  ${owner}`, micros);
  add(byPlace, where(node.callFrame.url), micros);
}
// Inclusive time: exact for synchronous code; an async function is charged only for the stretches
// it runs itself (after an await the stack starts at the microtask).
const inclusive = new Map<string, number>();
const projectInclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
    const node = nodeById.get(current)!;
    // Node's own frames (task queues, streams, events) sit above everything and name no owner.
    if (node.callFrame.url === '' || node.callFrame.url.startsWith('node:') || seen.has(frameName(node, false))) continue;
    const name = frameName(node, false);
    seen.add(name);
    add(inclusive, `${name}  ${ownerOf(current)}`, micros);
    if (where(node.callFrame.url).startsWith('src/')) add(projectInclusive, name, micros);
  }
}

const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);
const busy = total - (byOwner.get('(idle)') ?? 0);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title} (${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle; % of not idle)`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
print('Self time by owner', byOwner);
print('Self time by package or file', byPlace);
print('Self time by function', byFunction);
print('Total (inclusive) time by function', inclusive);
print('Project functions, total (inclusive) time', projectInclusive);
