import { describe, expect, it } from 'vitest';
import { clusterRecords, type StitchRecord } from '../../../engine/identity/cluster-records';
import { seededRandom } from './seeded-random';
import {
  canonicalByKey,
  keyClusters,
  linkByKey,
  RULES,
  randomInput,
  records,
  reordered,
  sortedConflicts,
} from './stitch-inputs';

const CAP = 50;

describe('clusterRecords', () => {
  it('merges records that share an email into one profile keyed by the smallest record key', () => {
    const input = records(
      ['marketo/leads/1001', 'email:ann@acme.example', 'marketoLeadId:1001'],
      ['crm/Contact/003A', 'email:ann@acme.example', 'crmContactId:003A'],
      ['crm/Contact/003B', 'email:bob@acme.example', 'crmContactId:003B'],
    );
    const result = clusterRecords(input, [], RULES, CAP);
    expect(canonicalByKey(result, input)).toEqual({
      'crm/Contact/003A': 'crm/Contact/003A',
      'crm/Contact/003B': 'crm/Contact/003B',
      'marketo/leads/1001': 'crm/Contact/003A',
    });
    expect(result.conflicts).toEqual([]);
  });

  it('keeps two records with different unique CRM ids apart, even with the same email, and names both in the conflict', () => {
    const input = records(
      ['crm/Contact/003A', 'crmContactId:003A', 'email:jo@acme.example'],
      ['crm/Contact/003B', 'crmContactId:003B', 'email:jo@acme.example'],
    );
    const result = clusterRecords(input, [], RULES, CAP);
    expect(keyClusters(result, input)).toEqual([['crm/Contact/003A'], ['crm/Contact/003B']]);
    expect(result.conflicts).toEqual([
      {
        namespace: 'email',
        value: 'jo@acme.example',
        reason: 'would give one profile two crmContactId values (003A, 003B), and crmContactId is unique',
        recordKeys: ['crm/Contact/003A', 'crm/Contact/003B'],
      },
    ]);
  });

  it('merges a converted lead into its contact through the conversion link, whatever their emails', () => {
    const input = records(
      ['crm/Lead/00QL', 'crmLeadId:00QL', 'email:ann.personal@gmail.com'],
      ['crm/Contact/003C', 'crmContactId:003C', 'email:ann@acme.example'],
    );
    const result = clusterRecords(input, [linkByKey(input, 'crm/Lead/00QL', 'crm/Contact/003C')], RULES, CAP);
    expect(keyClusters(result, input)).toEqual([['crm/Contact/003C', 'crm/Lead/00QL']]);
    expect(result.conflicts).toEqual([]);
  });

  it('refuses a merge that would give a profile more identities than the cap, and says so', () => {
    const input = records(
      ['web/visitors/1', 'email:kim@acme.example', 'ecid:e1'],
      ['web/visitors/2', 'email:kim@acme.example', 'ecid:e2', 'ecid:e3'],
    );
    const result = clusterRecords(input, [], RULES, 3);
    expect(keyClusters(result, input)).toEqual([['web/visitors/1'], ['web/visitors/2']]);
    expect(result.conflicts).toEqual([
      {
        namespace: 'email',
        value: 'kim@acme.example',
        reason: 'would give one profile 4 identities, over maxIdentitiesPerGraph 3',
        recordKeys: ['web/visitors/1', 'web/visitors/2'],
      },
    ]);
    expect(keyClusters(clusterRecords(input, [], RULES, 4), input)).toEqual([['web/visitors/1', 'web/visitors/2']]);
  });

  it('treats a value shared by 10,000 records as junk: it links none of them and is reported once', () => {
    const input: StitchRecord[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: i + 1,
      key: `marketo/leads/${String(i).padStart(5, '0')}`,
      identities: [{ namespace: 'email', value: 'info@acme.example' }],
    }));
    // How fast is the stitch benchmark's business (its junk emails are shared by hundreds); here, what it does.
    const result = clusterRecords(input, [], RULES, CAP);
    expect(new Set(result.canonicalKeyOf.values()).size).toBe(10_000);
    expect(input.every((r) => result.canonicalKeyOf.get(r.id) === r.key)).toBe(true);
    expect(result.conflicts).toEqual([
      {
        namespace: 'email',
        value: 'info@acme.example',
        reason: 'shared by 10000 records, more than maxIdentitiesPerGraph 50: treated as junk, links nothing',
        recordKeys: [
          'marketo/leads/00000',
          'marketo/leads/00001',
          'marketo/leads/00002',
          'marketo/leads/00003',
          'marketo/leads/00004',
        ],
      },
    ]);
  });

  it('merges a chain A-B-C linked through different namespaces transitively', () => {
    const input = records(
      ['crm/Contact/003A', 'crmContactId:003A', 'email:lee@acme.example'],
      ['marketo/leads/2002', 'marketoLeadId:2002', 'email:lee@acme.example', 'ecid:777'],
      ['web/visitors/v9', 'ecid:777'],
      ['web/visitors/v10', 'ecid:888'],
    );
    const result = clusterRecords(input, [], RULES, CAP);
    expect(keyClusters(result, input)).toEqual([
      ['crm/Contact/003A', 'marketo/leads/2002', 'web/visitors/v9'],
      ['web/visitors/v10'],
    ]);
  });

  // ENGINE BUG (reported): canonicalEdges links each holder of a value only to the FIRST holder (a
  // star), so when the first conflicts with two others, those two never meet, though nothing forbids
  // their merge. Whether they merge depends on how the records' keys sort. Remove `.fails` when fixed.
  it('merges two records sharing an email when they are compatible, even if the first holder of the email conflicts with both', () => {
    // F (smallest key) has contact id c1 and lead id l2; A has contact id c2; B has lead id l1. F can
    // join neither, but A + B holds one contact id and one lead id: nothing forbids that merge.
    const input = records(
      ['a/F', 'email:v@acme.example', 'crmContactId:c1', 'crmLeadId:l2'],
      ['b/A', 'email:v@acme.example', 'crmContactId:c2'],
      ['c/B', 'email:v@acme.example', 'crmLeadId:l1'],
    );
    const result = clusterRecords(input, [], RULES, CAP);
    expect(keyClusters(result, input)).toEqual([['a/F'], ['b/A', 'c/B']]);
  });

  it('gives identical clusterings and conflicts for ten shuffled orders of the same input', () => {
    const base = records(
      ['crm/Contact/003A', 'crmContactId:003A', 'email:ann@acme.example'],
      ['crm/Contact/003B', 'crmContactId:003B', 'email:ann@acme.example'],
      ['crm/Contact/003C', 'crmContactId:003C', 'email:cy@acme.example'],
      ['crm/Lead/00QA', 'crmLeadId:00QA', 'email:ann.home@gmail.com'],
      ['crm/Lead/00QB', 'crmLeadId:00QB', 'email:bo@beta.example'],
      ['marketo/leads/1001', 'marketoLeadId:1001', 'email:ann@acme.example', 'crmContactId:003B', 'ecid:e1'],
      ['marketo/leads/1002', 'marketoLeadId:1002', 'email:bo@beta.example', 'ecid:e2'],
      ['marketo/leads/1003', 'marketoLeadId:1003', 'email:cy@acme.example', 'ecid:e1'],
      ['web/visitors/v1', 'ecid:e2'],
      ['web/visitors/v2', 'ecid:e1', 'email:dee@delta.example'],
      ...Array.from({ length: 60 }, (_, i): [string, string] => [`web/visitors/j${i}`, 'email:info@acme.example']),
    );
    const links = [linkByKey(base, 'crm/Lead/00QA', 'crm/Contact/003A')];
    const expected = clusterRecords(base, links, RULES, CAP);
    expect(keyClusters(expected, base)).toContainEqual(['crm/Contact/003A', 'crm/Lead/00QA']);
    for (let seed = 1; seed <= 10; seed++) {
      const variant = reordered({ records: base, links }, seededRandom(seed));
      const result = clusterRecords(variant.records, variant.links, RULES, CAP);
      expect(keyClusters(result, variant.records), `seed ${seed}`).toEqual(keyClusters(expected, base));
      expect(canonicalByKey(result, variant.records), `seed ${seed}`).toEqual(canonicalByKey(expected, base));
      expect(sortedConflicts(result), `seed ${seed}`).toEqual(sortedConflicts(expected));
    }
  });

  it('never gives a profile two values of a unique namespace, and clusters order-independently, on 200 random inputs', () => {
    const random = seededRandom(20_240_601);
    for (let run = 0; run < 200; run++) {
      const input = randomInput(random);
      const cap = 2 + Math.floor(random() * 6);
      const result = clusterRecords(input.records, input.links, RULES, cap);
      const context = `run ${run}: ${JSON.stringify(input)} cap ${cap}`;
      for (const [namespace, values] of uniqueValuesPerProfile(result.canonicalKeyOf, input.records))
        expect(values.size, `${context}: ${namespace}`).toBeLessThanOrEqual(1);
      const variant = reordered(input, random);
      const again = clusterRecords(variant.records, variant.links, RULES, cap);
      expect(keyClusters(again, variant.records), context).toEqual(keyClusters(result, input.records));
    }
  });

  it('reports the same conflicts, reasons included, whatever the order of records and identities (200 random inputs)', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 200; run++) {
      const input = randomInput(random);
      const cap = 2 + Math.floor(random() * 6);
      const result = clusterRecords(input.records, input.links, RULES, cap);
      const variant = reordered(input, random);
      const again = clusterRecords(variant.records, variant.links, RULES, cap);
      expect(sortedConflicts(again), `run ${run}: ${JSON.stringify(input)} cap ${cap}`).toEqual(
        sortedConflicts(result),
      );
    }
  });
});

/** Per profile and unique namespace (`profile namespace` -> values held by the profile's records). */
function uniqueValuesPerProfile(
  canonicalKeyOf: ReadonlyMap<number, string>,
  all: readonly StitchRecord[],
): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const record of all) {
    for (const { namespace, value } of record.identities) {
      if (!RULES.get(namespace)?.unique) continue;
      const id = `${canonicalKeyOf.get(record.id)} ${namespace}`;
      values.set(id, (values.get(id) ?? new Set()).add(value));
    }
  }
  return values;
}
