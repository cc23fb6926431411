import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The part of a compose service the tests read (Compose Specification, "services"). */
export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  restart?: string;
  stop_grace_period?: string;
  networks?: string[];
}

export interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  networks: Record<string, unknown>;
}

/**
 * Compose's interpolation of one string (Compose Specification, "Interpolation"): `$$` is a literal `$`;
 * `${VAR:?message}` / `${VAR?message}` refuse an unset (or, with `:`, empty) variable, as `docker compose`
 * does before it starts anything; `${VAR:-default}` / `${VAR-default}` fall back; `${VAR}` / `$VAR` unset is ''.
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)/g, (match, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    const missing = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
    if (operator?.endsWith('?') && missing) throw new Error(`required variable ${name} is missing a value: ${argument}`);
    if (operator?.endsWith('-') && missing) return argument ?? '';
    return value ?? '';
  });
}

function interpolateTree(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateTree(item, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateTree(item, env)]));
  return value;
}

/** compose.yaml as written (placeholders kept). */
export function readComposeFile(path = 'compose.yaml'): ComposeFile {
  return parse(readFileSync(path, 'utf8')) as ComposeFile;
}

/** compose.yaml as `docker compose` sees it with the operator's environment `env`. */
export function resolveComposeFile(env: Readonly<Record<string, string | undefined>>, path = 'compose.yaml'): ComposeFile {
  return interpolateTree(readComposeFile(path), env) as ComposeFile;
}

/** A service's bind mounts, container path → host path (named volumes are left out: their data is Docker's). */
export function bindMounts(service: ComposeService): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source!.startsWith('.') || source!.startsWith('/')) mounts.set(target!, source!);
  }
  return mounts;
}

/** A service's named volumes, container path → volume name. */
export function namedVolumes(service: ComposeService): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (!source!.startsWith('.') && !source!.startsWith('/')) mounts.set(target!, source!);
  }
  return mounts;
}
