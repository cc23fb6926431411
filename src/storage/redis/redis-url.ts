import { CodedError } from '../../shared/coded-error.js';

export class InvalidRedisUrlError extends CodedError<'invalid_redis_url'> {
  constructor(reason: string) {
    super('invalid_redis_url', `invalid Redis URL: ${reason}`);
  }
}

export interface MultiHostRedisUrl {
  kind: 'sentinel' | 'cluster';
  /** `rediss-…`: TLS to every node, including the ones the sentinels or the cluster announce. */
  tls: boolean;
  username: string | undefined;
  password: string | undefined;
  hosts: { host: string; port: number }[];
  /** Sentinel: the master name. */
  masterName: string | undefined;
}

/** True for the URL forms that connect over TLS: `rediss://`, `rediss-sentinel://`, `rediss-cluster://`. */
export function isTlsRedisUrl(url: string): boolean {
  return /^rediss(-sentinel|-cluster)?:\/\//.test(url);
}

/**
 * Parses `redis-sentinel://[user:password@]host:port[,host:port…]/mastername` and
 * `redis-cluster://[user:password@]host:port[,host:port…]`, and their TLS forms `rediss-sentinel://`
 * and `rediss-cluster://`. Hand-written because WHATWG URL cannot hold a comma-separated host list. Returns undefined for any other scheme.
 */
export function parseMultiHostRedisUrl(url: string): MultiHostRedisUrl | undefined {
  const kind = /^rediss?-(sentinel|cluster):\/\//.exec(url)?.[1] as MultiHostRedisUrl['kind'] | undefined;
  if (!kind) return undefined;
  const match = /^[a-z-]+:\/\/(?:([^@/]*)@)?([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new InvalidRedisUrlError('expected <scheme>://[user:password@]host:port[,host:port…][/mastername]');
  const [, auth, hostList = '', path] = match;
  const hosts = hostList.split(',').map((entry) => {
    const hostMatch = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry);
    if (!hostMatch) throw new InvalidRedisUrlError(`host "${entry}" must be host:port`);
    return { host: hostMatch[1]!.replace(/^\[|\]$/g, ''), port: Number(hostMatch[2]) };
  });
  const separator = auth?.indexOf(':') ?? -1;
  const username = auth === undefined ? undefined : decodeURIComponent(separator === -1 ? auth : auth.slice(0, separator));
  const password = auth === undefined || separator === -1 ? undefined : decodeURIComponent(auth.slice(separator + 1));
  const masterName = path ? decodeURIComponent(path) : undefined;
  if (kind === 'sentinel' && !masterName) throw new InvalidRedisUrlError('the Sentinel form needs the master name as path');
  if (kind === 'cluster' && masterName) throw new InvalidRedisUrlError('the Cluster form has no path');
  return { kind, tls: isTlsRedisUrl(url), username: username || undefined, password: password || undefined, hosts, masterName };
}
