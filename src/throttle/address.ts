import { isIPv6 } from 'node:net';

/** The full 8 groups of an IPv6 address. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.padStart(4, '0'));
}

/**
 * The key an address is counted under: an IPv4 address as it is; an IPv6 address by its /64
 * prefix, since one subscriber usually holds a whole /64 (RFC 6177) and could otherwise take a
 * fresh address for every attempt. IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address.split('%')[0]!.toLowerCase()).slice(0, 4).join(':')}::/64`;
}
