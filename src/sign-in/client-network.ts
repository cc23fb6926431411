import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whom a per-address limit counts: an IPv4 address as it is (IPv4-mapped IPv6 included), an IPv6
 * address by its /64. One household or office gets a whole /64, so counting single IPv6 addresses
 * would let one client spread its requests over billions of them.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const address = ip.split('%')[0]!;
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}
