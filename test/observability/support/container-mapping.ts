/**
 * The one rewrite the compose rehearsal makes to a service's environment: what names a place inside
 * Docker is pointed at the place standing in for it on this machine. Nothing else changes.
 *
 * - `hosts`: another service's name on the compose network (`redis`, `postgres`) in a URL's authority
 *   → 127.0.0.1 and the port that service got here (`redis://:pw@redis:6379` → `redis://:pw@127.0.0.1:41234`);
 * - `ports`: a port the service itself listens on (its `ports`/`expose`, `PORT` "3000", `METRICS_PORT`
 *   "9464"), when a value is exactly that number → its free port here; and "0.0.0.0" (every interface of
 *   the container's own network) → "127.0.0.1";
 * - `paths`: a container path that is a bind mount (`/keys`, `/config/clients.json`) → the temporary
 *   directory or file standing in for the mounted one (the longest mount that prefixes the value wins).
 */
export interface ContainerMapping {
  hosts: Record<string, number>;
  ports: Record<string, number>;
  paths: Record<string, string>;
}

export function mapValue(value: string, mapping: ContainerMapping): string {
  if (value === '0.0.0.0') return '127.0.0.1';
  if (/^\d+$/.test(value) && mapping.ports[value] !== undefined) return String(mapping.ports[value]);
  const mount = Object.keys(mapping.paths).sort((a, b) => b.length - a.length).find((path) => value === path || value.startsWith(`${path}/`));
  if (mount) return mapping.paths[mount]! + value.slice(mount.length);
  return value.replace(/(\/\/(?:[^@/\s]*@)?)([A-Za-z][\w-]*)(?::\d+)?(?=[/?#]|$)/, (match, prefix: string, host: string) =>
    mapping.hosts[host] === undefined ? match : `${prefix}127.0.0.1:${mapping.hosts[host]}`,
  );
}

export function mapEnvironment(env: Readonly<Record<string, string>>, mapping: ContainerMapping): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, mapValue(value, mapping)]));
}
