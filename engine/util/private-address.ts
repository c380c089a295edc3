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
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form (::127.0.0.1)
  ['64:ff9b::', 96], // NAT64: reaches any IPv4 address, private ones included
  ['2002::', 16], // 6to4: embeds an IPv4 address
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
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? 'a private, loopback or link-local address'
    : undefined;
}

/**
 * What a URL host (a name or an IP literal, as `URL.hostname` gives it) is, when it must be
 * refused before any lookup: "a private, loopback or link-local address" or "a name of ...".
 */
export function refusedHostReason(hostname: string): string | undefined {
  const bare = bareHost(hostname);
  if (LOCAL_NAMES.test(bare)) return 'a name of this machine or of a private network';
  return refusedAddressReason(bare);
}

/** The host without IPv6 brackets or a trailing dot (`localhost.` is the same host as `localhost`). */
export function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '');
}

/** Hosts exempted for local development, from `ROSTER_ALLOW_PRIVATE_HOSTS` (comma-separated). */
export function allowedPrivateHosts(environment: NodeJS.ProcessEnv): string[] {
  return (environment.ROSTER_ALLOW_PRIVATE_HOSTS ?? '')
    .split(',')
    .map((host) => bareHost(host.trim()))
    .filter((host) => host !== '');
}
