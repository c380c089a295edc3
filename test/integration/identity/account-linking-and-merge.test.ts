import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ConfigOptions,
  type PersonView,
  personWith,
  type Row,
  readPersons,
  runSource,
  useStitchWorkspace,
  writeData,
} from './stitch-fixture';

const workspace = useStitchWorkspace();
const { newSandbox, runBoth } = workspace;
const HAND: ConfigOptions = { crm: 'hand' };

describe('account linking', () => {
  const accounts = [
    { Id: 'A1', IsDeleted: 'false', Name: 'Acme', Website: 'https://www.acme.example' },
    { Id: 'A2', IsDeleted: 'false', Name: 'Globex', Website: 'globex.example' },
    { Id: 'A3', IsDeleted: 'false', Name: 'Gmail (a customer)', Website: 'gmail.com' },
  ];
  const contacts = [
    { Id: 'C1', IsDeleted: 'false', AccountId: 'A1', FirstName: 'Ann', Email: 'ann@acme.example' },
    { Id: 'C2', IsDeleted: 'false', AccountId: '', FirstName: 'Bo', Email: 'bo@Globex.example' },
    { Id: 'C3', IsDeleted: 'false', AccountId: '', FirstName: 'Cy', Email: 'cy@gmail.com' },
  ];
  const marketing: Row[] = [
    { id: 'M1', email: 'new@acme.example', firstName: 'Nia', accountId: 'A1' },
    { id: 'M2', email: 'kim@globex.example', firstName: 'Kim' },
  ];
  let withFallback: PersonView[];
  let withoutFallback: PersonView[];

  beforeAll(async () => {
    const [on, off] = await Promise.all(
      [true, false].map(async (emailDomainFallback) => {
        const { sandbox } = await newSandbox(
          { crm: 'salesforce', emailDomainFallback },
          { crm: { accounts, contacts }, marketing },
        );
        await runBoth(sandbox);
        return readPersons(workspace.pool, sandbox);
      }),
    );
    withFallback = on!;
    withoutFallback = off!;
  });

  it('links persons to the account holding their CRM account id, whichever source the person comes from', () => {
    expect(personWith(withFallback, 'crm/Contact/C1').account).toBe('crm/Account/A1');
    expect(personWith(withFallback, 'marketing/people/M1').account).toBe('crm/Account/A1');
    expect(personWith(withoutFallback, 'crm/Contact/C1').account).toBe('crm/Account/A1');
  });

  it('with emailDomainFallback, links a person without an account id to the account of its email domain, never gmail.com', () => {
    expect(personWith(withFallback, 'crm/Contact/C2').account).toBe('crm/Account/A2');
    expect(personWith(withFallback, 'crm/Contact/C3').account).toBeNull();
  });

  it('without emailDomainFallback, leaves a person without an account id unlinked', () => {
    expect(personWith(withoutFallback, 'crm/Contact/C2').account).toBeNull();
  });

  // ENGINE BUG (reported): the fallback (engine/identity/resolve-links.ts) reads persons.email_domain,
  // which only the vendor presets fill; a hand mapping cannot fill it (fields have no emailDomain
  // transform), so its persons are never linked by domain. Remove `.fails` when fixed.
  it('with emailDomainFallback, links by email domain a person whose source maps only `email` (no emailDomain field)', () => {
    expect(personWith(withFallback, 'marketing/people/M2').account).toBe('crm/Account/A2');
  });
});

describe('account linking after a change', () => {
  // ENGINE BUG (reported): resolve-links.ts only writes a person's account when one is found
  // (`x.account is not null`), so a link that no longer holds is never removed. Remove `.fails` when fixed.
  it('unlinks a person from its account when its records no longer name one', async () => {
    const accounts = [{ id: 'A1', name: 'Acme', domain: 'acme.example' }];
    const contact = { id: 'C1', email: 'ann@acme.example', firstName: 'Ann', accountId: 'A1' };
    const { sandbox, dir } = await newSandbox(HAND, { crm: { accounts, contacts: [contact] } });
    await runSource('crm', sandbox, workspace.env);
    expect(personWith(await readPersons(workspace.pool, sandbox), 'crm/contacts/C1').account).toBe('crm/accounts/A1');
    await writeData(dir, HAND, { crm: { accounts, contacts: [{ ...contact, accountId: '' }] } });
    await runSource('crm', sandbox, workspace.env);
    expect(personWith(await readPersons(workspace.pool, sandbox), 'crm/contacts/C1').account).toBeNull();
  });
});

describe('attribute merge by source priority', () => {
  const contacts = [
    { id: 'C1', email: 'ann@acme.example', firstName: 'Ann', lastName: 'Lee', title: '' },
    { id: 'C2', email: 'bo@acme.example', firstName: 'Bo', lastName: '', title: '' },
  ];
  const marketing: Row[] = [
    { id: 'M1', email: 'ann@acme.example', firstName: 'Annie', lastName: '', title: 'VP Sales' },
    { id: 'M2', email: 'bo@acme.example', firstName: 'Bobby', lastName: 'Chen', title: '' },
  ];

  /** Marketing runs first, so arrival order cannot explain a CRM win. */
  async function merged(sources: ConfigOptions['sources']): Promise<PersonView[]> {
    const { sandbox } = await newSandbox({ crm: 'hand', sources }, { crm: { contacts }, marketing });
    await runSource('marketing', sandbox, workspace.env);
    await runSource('crm', sandbox, workspace.env);
    return readPersons(workspace.pool, sandbox);
  }

  it("with sources [crm, marketing], takes the CRM's non-empty value and lets the marketing value through where the CRM's is empty", async () => {
    const persons = await merged(['crm', 'marketing']);
    expect(personWith(persons, 'crm/contacts/C1')).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      jobTitle: 'VP Sales',
    });
    expect(personWith(persons, 'crm/contacts/C2')).toMatchObject({ firstName: 'Bo', lastName: 'Chen', jobTitle: null });
  });

  it('with sources [marketing, crm], takes the marketing value first', async () => {
    const persons = await merged(['marketing', 'crm']);
    expect(personWith(persons, 'crm/contacts/C1')).toMatchObject({
      firstName: 'Annie',
      lastName: 'Lee',
      jobTitle: 'VP Sales',
    });
  });
});
