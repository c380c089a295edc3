import { describe, expect, it } from 'vitest';
import { type ConfigOptions, readPersons, type SandboxData, useStitchWorkspace, writeData } from './stitch-fixture';

const workspace = useStitchWorkspace();
const HAND: ConfigOptions = { crm: 'hand' };

/** Each person's row version (`xmin`: the transaction that last wrote the row), by canonical key. */
async function rowVersions(sandbox: string): Promise<Record<string, string>> {
  const { rows } = await workspace.pool.query<{ key: string; xmin: string }>(
    `select canonical_key as key, xmin::text as xmin from roster_${sandbox}.persons`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.xmin]));
}

function company(marketingFirstName: string, boTitle: string): SandboxData {
  return {
    crm: {
      contacts: [
        { id: 'C1', email: 'ann@acme.example', firstName: 'Ann', title: 'CTO' },
        { id: 'C2', email: 'bo@acme.example', firstName: 'Bo', title: boTitle },
      ],
    },
    marketing: [{ id: 'M1', email: 'ann@acme.example', firstName: marketingFirstName, title: 'VP' }],
  };
}

describe('profile writes', () => {
  it('rewrites a re-stitched profile only when its merged attributes change', async () => {
    const { sandbox, dir } = await workspace.newSandbox(HAND, company('Annie', 'CFO'));
    await workspace.runBoth(sandbox);
    const before = await rowVersions(sandbox);
    // Ann's marketing record changes a name the CRM's value outranks; Bo's CRM title changes.
    await writeData(dir, HAND, company('Anne', 'CEO'));
    await workspace.runBoth(sandbox);
    const after = await rowVersions(sandbox);
    expect(Object.keys(after).sort()).toEqual(['crm/contacts/C1', 'crm/contacts/C2']);
    expect(after['crm/contacts/C1']).toBe(before['crm/contacts/C1']);
    expect(after['crm/contacts/C2']).not.toBe(before['crm/contacts/C2']);
    const persons = await readPersons(workspace.pool, sandbox);
    expect(persons.map((p) => [p.keys, p.firstName, p.jobTitle])).toEqual([
      [['crm/contacts/C1', 'marketing/people/M1'], 'Ann', 'CTO'],
      [['crm/contacts/C2'], 'Bo', 'CEO'],
    ]);
  });
});
