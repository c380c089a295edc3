import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must never reach: loopback, private (RFC 1918, unique-local), link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, "this network", multicast and reserved.
 */
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv6');
}

/** Host names that always mean this machine or its private network. */
const LOCAL_NAMES = /^(localhost|.*\.localhost|.*\.local|.*\.internal|metadata\.google\.internal)$/i;

/** Why `address` (an IP literal) is refused, or undefined if it is a public address. */
export function refusedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refusedAddressReason(mapped[1]!);
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6') ? `${address} is a private, loopback or link-local address` : undefined;
}

/** Why a URL host (a name or an IP literal, as `URL.hostname` gives it) is refused before any lookup. */
export function refusedHostReason(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (LOCAL_NAMES.test(bare)) return `${bare} names this machine or a private network`;
  return refusedAddressReason(bare);
}

/** Hosts exempted for local development, from `ROSTER_ALLOW_PRIVATE_HOSTS` (comma-separated). */
export function allowedPrivateHosts(environment: NodeJS.ProcessEnv): string[] {
  return (environment.ROSTER_ALLOW_PRIVATE_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
    .filter((host) => host !== '');
}
