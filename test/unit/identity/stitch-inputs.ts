import type { ClusterResult, NamespaceRule, StitchLink, StitchRecord } from '../../../engine/identity/cluster-records';
import { shuffled } from './seeded-random';

/** The rules of a typical B2B mapping: CRM and Marketo ids are unique, email and ECID are not. */
export const RULES: ReadonlyMap<string, NamespaceRule> = new Map([
  ['crmContactId', { unique: true, priority: 100 }],
  ['crmLeadId', { unique: true, priority: 90 }],
  ['marketoLeadId', { unique: true, priority: 80 }],
  ['email', { unique: false, priority: 50 }],
  ['ecid', { unique: false, priority: 40 }],
]);

/** A record as a test writes it: key and `namespace:value` identities (ids are assigned later). */
export type RecordSpec = [key: string, ...identities: string[]];

/** Records numbered 1..n in the given order, from `[key, 'namespace:value', ...]`. */
export function records(...specs: RecordSpec[]): StitchRecord[] {
  return specs.map(([key, ...identities], i) => ({
    id: i + 1,
    key,
    identities: identities.map((text) => {
      const colon = text.indexOf(':');
      return { namespace: text.slice(0, colon), value: text.slice(colon + 1) };
    }),
  }));
}

/** A converted-lead link from the record keyed `from` to the record keyed `to`. */
export function linkByKey(all: readonly StitchRecord[], from: string, to: string): StitchLink {
  const id = (key: string) => all.find((r) => r.key === key)!.id;
  return { from: id(from), to: id(to), namespace: 'convertedTo', value: to };
}

/**
 * The same input in another order: records shuffled, each record's identities shuffled, and record
 * ids reassigned at random (links follow their records).
 */
export function reordered(
  input: { records: readonly StitchRecord[]; links: readonly StitchLink[] },
  random: () => number,
): { records: StitchRecord[]; links: StitchLink[] } {
  const newIds = shuffled(
    input.records.map((_, i) => 1000 + i * 7),
    random,
  );
  const idOf = new Map(input.records.map((r, i) => [r.id, newIds[i]!]));
  const moved = input.records.map((r) => ({
    id: idOf.get(r.id)!,
    key: r.key,
    identities: shuffled(r.identities, random),
  }));
  const links = shuffled(
    input.links.map((l) => ({ ...l, from: idOf.get(l.from)!, to: idOf.get(l.to)! })),
    random,
  );
  return { records: shuffled(moved, random), links };
}

/** The clustering as a set of sorted key sets (ids and order play no part), itself sorted. */
export function keyClusters(result: ClusterResult, all: readonly StitchRecord[]): string[][] {
  const byCanonical = new Map<string, string[]>();
  for (const record of all) {
    const canonical = result.canonicalKeyOf.get(record.id)!;
    byCanonical.set(canonical, [...(byCanonical.get(canonical) ?? []), record.key]);
  }
  return [...byCanonical.values()].map((keys) => keys.sort()).sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
}

/** Canonical key per record key: the profile key each record is given. */
export function canonicalByKey(result: ClusterResult, all: readonly StitchRecord[]): Record<string, string> {
  return Object.fromEntries(all.map((r) => [r.key, result.canonicalKeyOf.get(r.id)!]).sort());
}

/** Conflicts in a stable order, for comparing runs over differently ordered inputs. */
export function sortedConflicts(result: ClusterResult): string[] {
  return result.conflicts.map((c) => JSON.stringify([c.namespace, c.value, c.reason, c.recordKeys])).sort();
}

/**
 * A random small input: records draw their identities from small value pools so that they collide
 * often; each record holds at most one value per namespace (as ingested records do: one field per
 * namespace). Some leads carry a conversion link to a contact.
 */
export function randomInput(random: () => number): { records: StitchRecord[]; links: StitchLink[] } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const count = 2 + Math.floor(random() * 11);
  const pools: Record<string, string[]> = {
    crmContactId: ['c1', 'c2', 'c3'],
    crmLeadId: ['l1', 'l2', 'l3'],
    marketoLeadId: ['m1', 'm2', 'm3', 'm4'],
    email: ['a@x.example', 'b@x.example', 'c@y.example', 'd@y.example'],
    ecid: ['e1', 'e2', 'e3'],
  };
  const all: StitchRecord[] = [];
  for (let i = 0; i < count; i++) {
    const source = pick(['crm/Contact', 'crm/Lead', 'marketo/leads', 'web/visitors']);
    const identities = Object.entries(pools)
      .filter(() => random() < 0.45)
      .map(([namespace, values]) => ({ namespace, value: pick(values) }));
    all.push({ id: i + 1, key: `${source}/${String(i).padStart(3, '0')}`, identities });
  }
  const links: StitchLink[] = [];
  for (const lead of all.filter((r) => r.key.startsWith('crm/Lead') && random() < 0.5)) {
    const contact = all.find((r) => r.key.startsWith('crm/Contact'));
    if (contact) links.push({ from: lead.id, to: contact.id, namespace: 'convertedTo', value: contact.key });
  }
  return { records: all, links };
}
