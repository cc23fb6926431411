// Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof` or bench --cpu-profile), by
// package and by function, and the inclusive time of the project's own functions. Usage: node dist/scripts/bench/profile-summary.js <file.cpuprofile> [top=25]
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

const [path, topArgument] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-summary.js <file.cpuprofile> [top]');
const top = Number(topArgument ?? 25);
const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;

// Self time per sample: the delta that follows it (V8 records the gap before the next sample).
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0)));

/** node_modules/<package> or the project path after dist/, so the table names who pays. */
function where(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  const project = url.match(/dist\/(.*)$/);
  return project ? project[1]! : url.replace(/^file:\/\//, '');
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const place = where(node.callFrame.url);
  const name = `${node.callFrame.functionName || '(anonymous)'}  [${place}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}]`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
}
// Inclusive time of project functions: exact for synchronous code; an async function is charged
// only for the stretches it runs itself (after an await the stack starts at the microtask).
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
    const { functionName, url } = nodeById.get(current)!.callFrame;
    const place = where(url);
    if (!place.startsWith('src/')) continue;
    const name = `${functionName || '(anonymous)'}  [${place}]`;
    if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    seen.add(name);
  }
}

const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title} (self time, ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
print('By package or file', byPlace);
print('By function', byFunction);
print('Project functions, inclusive', inclusive);
