import { beforeAll, describe, expect, it } from 'vitest';
import { runStitch } from '../../../engine/identity/run-stitch';
import { runSourceIngest } from '../../../engine/ingest/run-source-ingest';
import { seededRandom, shuffled } from '../../unit/identity/seeded-random';
import { alternateHalves, mixedData } from './mixed-data';
import {
  type ConfigOptions,
  type PersonView,
  personWith,
  type Row,
  readConflicts,
  readPersons,
  runSource,
  type SandboxData,
  useStitchWorkspace,
  writeData,
} from './stitch-fixture';

const workspace = useStitchWorkspace();
const { newSandbox, runBoth, count } = workspace;

const HAND: ConfigOptions = { crm: 'hand' };
const SALESFORCE: ConfigOptions = { crm: 'salesforce' };

describe('merge protection and junk values', () => {
  it('keeps two CRM contacts with different ids and the same email as two persons, and records the conflict', async () => {
    const contacts = [
      { id: 'C1', email: 'jo@acme.example', firstName: 'Jo' },
      { id: 'C2', email: ' JO@Acme.example ', firstName: 'Joe' },
    ];
    const { sandbox } = await newSandbox(HAND, { crm: { contacts } });
    await runSource('crm', sandbox, workspace.env);
    expect((await readPersons(workspace.pool, sandbox)).map((p) => p.keys)).toEqual([
      ['crm/contacts/C1'],
      ['crm/contacts/C2'],
    ]);
    const { rows } = await workspace.pool.query(
      `select entity, namespace, value, reason, record_keys as "recordKeys" from roster_${sandbox}.identity_conflicts`,
    );
    expect(rows).toEqual([
      {
        entity: 'person',
        namespace: 'email',
        value: 'jo@acme.example',
        reason: 'would give one profile two crmContactId values (C1, C2), and crmContactId is unique',
        recordKeys: ['crm/contacts/C1', 'crm/contacts/C2'],
      },
    ]);
  });

  it('does not merge 10,000 records sharing a junk email that is not blocklisted, and reports the value once', async () => {
    const marketing = manyPeople(10_000, () => 'info@acme.example');
    const { sandbox } = await newSandbox(HAND, { crm: {}, marketing });
    const report = await runSource('marketing', sandbox, workspace.env);
    expect(report).toMatchObject({ status: 'succeeded', read: 10_000, written: 10_000 });
    const s = `roster_${sandbox}`;
    expect(await count(`select 1 from ${s}.persons`)).toBe(10_000);
    expect(await count(`select person_id from ${s}.person_records group by person_id having count(*) = 1`)).toBe(
      10_000,
    );
    expect(
      await count(`select 1 from ${s}.record_identities where namespace = 'email' and value = 'info@acme.example'`),
    ).toBe(10_000);
    const { rows } = await workspace.pool.query(`select namespace, value, reason from ${s}.identity_conflicts`);
    expect(rows).toEqual([
      {
        namespace: 'email',
        value: 'info@acme.example',
        reason: 'shared by 10000 records, more than maxIdentitiesPerGraph 50: treated as junk, links nothing',
      },
    ]);
  });

  it('never makes a blocklisted email (n/a) an identity: 10,000 records stay 10,000 persons, with no conflict', async () => {
    const spellings = ['n/a', 'N/A', ' n/a '];
    const marketing = manyPeople(10_000, (i) => spellings[i % spellings.length]!);
    const { sandbox } = await newSandbox(HAND, { crm: {}, marketing });
    await runSource('marketing', sandbox, workspace.env);
    const s = `roster_${sandbox}`;
    expect(await count(`select 1 from ${s}.persons`)).toBe(10_000);
    expect(await count(`select 1 from ${s}.record_identities where namespace = 'email'`)).toBe(0);
    expect(await count(`select 1 from ${s}.identity_conflicts`)).toBe(0);
  });
});

describe('order independence', () => {
  // Thirty steps (an apply and two source runs per order), each awaited to its end: the test waits
  // on its work, not on the clock. One order at a time, and the source runs in this process (what
  // `roster source run` does: ingest, then stitch), so a busy machine slows the test down instead
  // of starving thirty processes at once into vitest's 60 s default; the timeout is a hang guard.
  it('gives the same persons, merged attributes and conflicts for ten shuffled orders of the same CSV rows', {
    timeout: 300_000,
  }, async () => {
    const base = mixedData();
    const results: { persons: PersonView[]; conflicts: string[] }[] = [];
    for (let i = 0; i < 10; i++) {
      const random = seededRandom(100 + i);
      const data: SandboxData = {
        crm: { accounts: shuffled(base.crm.accounts!, random), contacts: shuffled(base.crm.contacts!, random) },
        marketing: shuffled(base.marketing!, random),
      };
      const { sandbox } = await newSandbox(HAND, data);
      for (const source of ['crm', 'marketing']) {
        const run = await runSourceIngest(workspace.pool, sandbox, source, { trigger: 'manual', env: {} });
        expect(run.status, `order ${i}, ${source}: ${run.error ?? ''}`).toBe('succeeded');
        await runStitch(workspace.pool, sandbox);
      }
      results.push({
        persons: await readPersons(workspace.pool, sandbox),
        conflicts: await readConflicts(workspace.pool, sandbox),
      });
    }
    const first = results[0]!;
    expect(personWith(first.persons, 'crm/contacts/C01').keys).toEqual(['crm/contacts/C01', 'marketing/people/M01']);
    expect(personWith(first.persons, 'crm/contacts/C02').keys).toEqual(['crm/contacts/C02']);
    expect(first.conflicts).toHaveLength(2);
    for (const [i, result] of results.entries()) expect(result, `order ${i}`).toEqual(first);
  });
});

describe('incremental stitching', () => {
  it('gives the same persons and attributes loading every other row, stitching, then the rest, as loading all at once', async () => {
    const all = mixedData();
    const whole = await newSandbox(HAND, all);
    await runBoth(whole.sandbox);
    const [contacts1, contacts2] = alternateHalves(all.crm.contacts!);
    const [people1, people2] = alternateHalves(all.marketing!);
    const halves = await newSandbox(HAND, {
      crm: { accounts: all.crm.accounts!, contacts: contacts1 },
      marketing: people1,
    });
    await runBoth(halves.sandbox);
    await writeData(halves.dir, HAND, {
      crm: { accounts: all.crm.accounts!, contacts: contacts2 },
      marketing: people2,
    });
    await runBoth(halves.sandbox);
    expect(await readPersons(workspace.pool, halves.sandbox)).toEqual(await readPersons(workspace.pool, whole.sandbox));
  });

  it('splits a record off its person on the next run when it no longer carries the shared identity', async () => {
    const contacts = [{ id: 'C1', email: 'ann@acme.example', firstName: 'Ann', title: '' }];
    const marketing: Row[] = [
      { id: 'M1', email: 'ann@acme.example', firstName: 'Annie', title: 'VP Sales' },
      { id: 'M2', email: 'bo@acme.example', firstName: 'Bo' },
    ];
    const { sandbox, dir } = await newSandbox(HAND, { crm: { contacts }, marketing });
    await runBoth(sandbox);
    expect(personWith(await readPersons(workspace.pool, sandbox), 'crm/contacts/C1')).toMatchObject({
      keys: ['crm/contacts/C1', 'marketing/people/M1'],
      jobTitle: 'VP Sales',
    });
    const changed = [{ ...marketing[0]!, email: 'annie@elsewhere.example' }, marketing[1]!];
    await writeData(dir, HAND, { crm: { contacts }, marketing: changed });
    const report = await runSource('marketing', sandbox, workspace.env);
    expect(report.written).toBe(1);
    const persons = await readPersons(workspace.pool, sandbox);
    expect(persons.map((p) => p.keys)).toEqual([['crm/contacts/C1'], ['marketing/people/M1'], ['marketing/people/M2']]);
    expect(personWith(persons, 'crm/contacts/C1')).toMatchObject({
      email: 'ann@acme.example',
      firstName: 'Ann',
      jobTitle: null,
    });
    expect(personWith(persons, 'marketing/people/M1')).toMatchObject({
      email: 'annie@elsewhere.example',
      firstName: 'Annie',
      jobTitle: 'VP Sales',
    });
  });

  describe('a Salesforce contact deleted in the source (IsDeleted=true)', () => {
    let sandbox: string;

    beforeAll(async () => {
      const contact = (id: string, email: string, modstamp: string, deleted = 'false'): Row => ({
        Id: id,
        IsDeleted: deleted,
        FirstName: id === 'C1' ? 'Ann' : 'Solo',
        Email: email,
        Title: 'Director',
        SystemModstamp: modstamp,
      });
      const marketing = [{ id: 'M1', email: 'ann@acme.example', firstName: 'Annie', title: 'VP Marketing' }];
      const before = [
        contact('C1', 'ann@acme.example', '2025-01-01T00:00:00Z'),
        contact('C2', 'solo@acme.example', '2025-01-01T00:00:00Z'),
      ];
      const created = await newSandbox(SALESFORCE, { crm: { contacts: before }, marketing });
      sandbox = created.sandbox;
      await runBoth(sandbox);
      expect(personWith(await readPersons(workspace.pool, sandbox), 'crm/Contact/C1')).toMatchObject({
        keys: ['crm/Contact/C1', 'marketing/people/M1'],
        firstName: 'Ann',
        jobTitle: 'Director',
      });
      const after = [
        contact('C1', 'ann@acme.example', '2025-02-01T00:00:00Z', 'true'),
        contact('C2', 'solo@acme.example', '2025-02-01T00:00:00Z', 'true'),
      ];
      await writeData(created.dir, SALESFORCE, { crm: { contacts: after }, marketing });
      expect(await runSource('crm', sandbox, workspace.env)).toMatchObject({ status: 'succeeded', deleted: 2 });
    });

    it('leaves the person it was merged into with only the other records and their attributes', async () => {
      expect(personWith(await readPersons(workspace.pool, sandbox), 'marketing/people/M1')).toEqual({
        keys: ['marketing/people/M1'],
        email: 'ann@acme.example',
        firstName: 'Annie',
        lastName: null,
        jobTitle: 'VP Marketing',
        account: null,
      } satisfies PersonView);
      expect(await count(`select 1 from roster_${sandbox}.person_records where source_name = 'crm'`)).toBe(0);
    });

    it('removes the person whose only record it was: no person is left without records', async () => {
      expect((await readPersons(workspace.pool, sandbox)).map((p) => p.keys)).toEqual([['marketing/people/M1']]);
    });
  });
});

describe('converted leads (salesforce/Lead ConvertedContactId)', () => {
  const contacts = [{ Id: 'C1', IsDeleted: 'false', FirstName: 'Ann', Email: 'ann@acme.example' }];
  const leads: Row[] = [
    {
      Id: 'L1',
      IsDeleted: 'false',
      FirstName: 'Ann',
      Email: 'ann.home@gmail.com',
      IsConverted: 'true',
      ConvertedContactId: 'C1',
    },
    { Id: 'L2', IsDeleted: 'false', FirstName: 'Bo', Email: 'bo@beta.example', IsConverted: 'false' },
  ];

  it('makes a converted lead and its contact one person, whatever their emails; an open lead stays apart', async () => {
    const marketing = [{ id: 'M1', email: 'ann.home@gmail.com', firstName: 'Annie' }];
    const { sandbox } = await newSandbox(SALESFORCE, { crm: { contacts, leads }, marketing });
    await runBoth(sandbox);
    const persons = await readPersons(workspace.pool, sandbox);
    expect(persons.map((p) => p.keys)).toEqual([
      ['crm/Contact/C1', 'crm/Lead/L1', 'marketing/people/M1'],
      ['crm/Lead/L2'],
    ]);
    const { rows } = await workspace.pool.query(
      `select distinct ri.namespace, ri.value from roster_${sandbox}.record_identities ri
       join roster_${sandbox}.person_records r on r.id = ri.record_id
       where ri.entity = 'person' and r.person_id = (select person_id from roster_${sandbox}.person_records where source_key = 'C1')
       order by 1, 2`,
    );
    expect(rows).toEqual([
      { namespace: 'crmContactId', value: 'C1' },
      { namespace: 'crmLeadId', value: 'L1' },
      { namespace: 'email', value: 'ann.home@gmail.com' },
      { namespace: 'email', value: 'ann@acme.example' },
    ]);
  });

  // The stitch set is closed under conversion links in both directions (collectStitchSet), so a
  // contact arriving after its converted lead meets it.
  it('merges them also when the converted lead was loaded in an earlier run than its contact', async () => {
    const { sandbox, dir } = await newSandbox(SALESFORCE, { crm: { leads } });
    await runSource('crm', sandbox, workspace.env);
    await writeData(dir, SALESFORCE, { crm: { contacts, leads } });
    await runSource('crm', sandbox, workspace.env);
    expect((await readPersons(workspace.pool, sandbox)).map((p) => p.keys)).toEqual([
      ['crm/Contact/C1', 'crm/Lead/L1'],
      ['crm/Lead/L2'],
    ]);
  });
});

/** `count` marketing people P00000... with the email `emailOf(i)`. */
function manyPeople(count: number, emailOf: (i: number) => string): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `P${String(i).padStart(5, '0')}`,
    email: emailOf(i),
    firstName: `Person${i}`,
  }));
}
