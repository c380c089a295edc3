import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedAddressReason, refusedHostReason } from '../../../util/private-address';
import { DeliveryError } from '../../connector';
import type { WebhookUrl } from './parse-webhook-url';

/** An address the SSRF rules allowed; requests connect to these and nothing else. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Every address `target`'s host resolves to, once all of them passed the SSRF rules: a local name
 * (`localhost`, `*.internal`) is refused before any lookup, and so is the host when ANY of its
 * A/AAAA records is private, loopback or link-local (an attacker controls which record a client
 * picks). Hosts in `allowed` (ROSTER_ALLOW_PRIVATE_HOSTS) skip the rules. A refusal is a
 * non-retryable `DeliveryError`; a failed lookup is retryable (DNS outages pass).
 */
export async function resolveWebhookAddresses(
  target: WebhookUrl,
  allowed: readonly string[],
  where: string,
): Promise<CheckedAddress[]> {
  const exempt = allowed.includes(target.host);
  const family = isIP(target.host);
  if (family !== 0) {
    const reason = exempt ? undefined : refusedAddressReason(target.host);
    if (reason) throw refusal(where, target, `resolves to ${target.host}, ${reason}`);
    return [{ address: target.host, family: family === 4 ? 4 : 6 }];
  }
  const nameReason = exempt ? undefined : refusedHostReason(target.host);
  if (nameReason) throw refusal(where, target, `names ${target.host}, ${nameReason}`);
  const addresses = await lookupAll(target, where);
  for (const { address } of addresses) {
    const reason = exempt ? undefined : refusedAddressReason(address);
    if (reason) throw refusal(where, target, `resolves to ${address}, ${reason}`);
  }
  return addresses;
}

async function lookupAll(target: WebhookUrl, where: string): Promise<CheckedAddress[]> {
  try {
    const records = await lookup(target.host, { all: true, verbatim: true });
    const addresses = records.filter((r) => r.family === 4 || r.family === 6) as CheckedAddress[];
    if (addresses.length > 0) return addresses;
    throw new Error('no A or AAAA record');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DeliveryError(
      `${where}: webhook URL ${target.shown}: cannot resolve ${target.host} (${reason}); will retry`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
}

function refusal(where: string, target: WebhookUrl, what: string): DeliveryError {
  return new DeliveryError(
    `${where}: webhook URL ${target.shown} ${what}: refused (server-side request forgery protection); use a public endpoint, or allow it for local development with ROSTER_ALLOW_PRIVATE_HOSTS=${target.host}`,
    { retryable: false },
  );
}
