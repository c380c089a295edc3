import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../engine/cli/main';
import { evaluateSegment } from '../../../engine/segment/evaluate-segment';
import { explainSegment } from '../../../engine/segment/explain-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import type { Condition } from '../../../schemas/generated/resource-types';
import { captureIo } from '../../support/capture-io';
import { memberLabels, type SegmentDefinition, segmentYaml, useSegmentWorkspace } from './segment-sandbox';

/**
 * Two sources: `crm` (accounts and contacts, linked by the contact's account) and `marketing`
 * (leads with an ECID). Ann is in both (stitched by email); Cy has no email; "n/a" is blocklisted.
 */
const FILES: Record<string, string> = {
  'sources/crm.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: ../data }
  objects:
    - { name: accounts, entity: account, path: accounts.csv, key: id, fields: { name: name, domain: domain }, identities: { crmAccountId: id, domain: domain } }
    - { name: contacts, entity: person, path: contacts.csv, key: id, fields: { email: email, firstName: firstName, account: account }, identities: { crmContactId: id, email: email } }
`,
  'sources/marketing.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: marketing }
spec:
  type: file
  file: { baseDir: ../data }
  objects:
    - { name: leads, entity: person, path: leads.csv, key: id, fields: { email: email, ecid: ecid }, identities: { email: email, ecid: ecid } }
`,
  'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [crm, marketing]
  blocklist: ["n/a"]
  person:
    namespaces:
      - { name: crmContactId, type: crm-id, unique: true, priority: 100 }
      - { name: email, type: email, priority: 50, normalize: [trim, lowercase] }
      - { name: ecid, type: ecid, priority: 40 }
  account:
    namespaces:
      - { name: crmAccountId, type: crm-id, unique: true, priority: 100 }
      - { name: domain, type: domain, priority: 50 }
  accountLinking: { byNamespace: crmAccountId }
`,
  'data/accounts.csv': 'id,name,domain\nA1,Acme,acme.example\nA2,Globex,\n',
  'data/contacts.csv': 'id,email,firstName,account\nC1,ann@acme.example,Ann,A1\nC2,bo@acme.example,Bo,A1\nC3,,Cy,A2\n',
  'data/leads.csv': 'id,email,ecid\nL1,Ann@Acme.example,E-1\nL2,dee@else.example,E-2\nL3,eve@else.example,n/a\n',
};

const workspace = useSegmentWorkspace();
const NOW = new Date('2026-06-15T12:00:00Z');
const segments: SegmentDefinition[] = [];
let sandbox: string;
let dir: string;

function person(name: string, where: Condition): string {
  segments.push({ name, subject: 'person', where });
  return name;
}
function account(name: string, where: Condition): string {
  segments.push({ name, subject: 'account', where });
  return name;
}
const members = (name: string) => memberLabels(workspace.pool, sandbox, name);

const fromCrm = person('from-crm', { fromSource: 'crm' });
const fromMarketing = person('from-marketing', { fromSource: 'marketing' });
const crmOnly = person('crm-only', { all: [{ fromSource: 'crm' }, { not: { fromSource: 'marketing' } }] });
const withEcid = person('with-ecid', { hasIdentity: 'ecid' });
const withoutEmail = person('without-email', { not: { hasIdentity: 'email' } });
const accountWithDomain = person('account-with-domain', { account: { hasIdentity: 'domain' } });
const accountsWithDomain = account('accounts-with-domain', { hasIdentity: 'domain' });
const accountsFromCrm = account('accounts-from-crm', { fromSource: 'crm' });
const reachedByMarketing = account('reached-by-marketing', { persons: { where: { fromSource: 'marketing' } } });

/** Streams: a person's records and identities are written by the ingest run that touches it. */
const STREAMING = `apiVersion: roster/v1
kind: Segment
metadata: { name: marketing-with-ecid }
spec:
  subject: person
  evaluation: streaming
  where: { all: [{ fromSource: marketing }, { hasIdentity: ecid }] }
`;
let run: (args: string[]) => Promise<void>;

beforeAll(async () => {
  const created = await workspace.newSandbox('segprov');
  sandbox = created.sandbox;
  dir = created.dir;
  const files = {
    ...FILES,
    'segments/marketing-with-ecid.yaml': STREAMING,
    ...Object.fromEntries(segments.map((s) => [`segments/${s.name}.yaml`, segmentYaml(s)])),
  };
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(created.dir, name)), { recursive: true });
    await fs.writeFile(path.join(created.dir, name), text);
  }
  run = async (args: string[]) => {
    const io = captureIo(created.dir, workspace.env);
    const code = await main(args, io);
    if (code !== 0) throw new Error(`roster ${args.join(' ')} exited ${code}: ${io.err.join('')}${io.out.join('')}`);
  };
  await run(['apply', '.', '--sandbox', sandbox, '--yes']);
  await run(['source', 'run', 'crm', '--sandbox', sandbox]);
  await run(['source', 'run', 'marketing', '--sandbox', sandbox]);
  for (const segment of await readAppliedSegments(workspace.pool, sandbox))
    await evaluateSegment(workspace.pool, sandbox, segment, NOW);
}, 120_000);

describe('fromSource: the subject has a record from the source', () => {
  it('selects persons by the sources of their records, a stitched person from each', async () => {
    expect(await members(fromCrm)).toEqual(['Cy', 'ann@acme.example', 'bo@acme.example']);
    expect(await members(fromMarketing)).toEqual(['ann@acme.example', 'dee@else.example', 'eve@else.example']);
    expect(await members(crmOnly)).toEqual(['Cy', 'bo@acme.example']);
  });

  it("selects accounts by their records, and accounts by their persons' records", async () => {
    expect(await members(accountsFromCrm)).toEqual(['Acme', 'Globex']);
    expect(await members(reachedByMarketing)).toEqual(['Acme']);
  });
});

describe('hasIdentity: the subject carries an identity in the namespace', () => {
  it('counts only identities that survived the blocklist', async () => {
    expect(await members(withEcid)).toEqual(['ann@acme.example', 'dee@else.example']);
    expect(await members(withoutEmail)).toEqual(['Cy']);
  });

  it("reads an account's identities, also from its persons", async () => {
    expect(await members(accountsWithDomain)).toEqual(['Acme']);
    expect(await members(accountWithDomain)).toEqual(['ann@acme.example', 'bo@acme.example']);
  });
});

describe('explain', () => {
  it('names the records and identities that satisfied the condition', async () => {
    const segment = (await readAppliedSegments(workspace.pool, sandbox)).find((s) => s.name === withEcid)!;
    const { rows } = await workspace.pool.query<{ id: string }>(
      `select id from roster_${sandbox}.persons where email = 'ann@acme.example'`,
    );
    const explained = await explainSegment(workspace.pool, sandbox, segment, Number(rows[0]!.id), NOW);
    expect(explained).toMatchObject({
      description: 'hasIdentity ecid',
      held: true,
      evidence: ['ecid:E-1 (marketing leads/L1)'],
    });
  });
});

describe('preview of a segment file', () => {
  async function preview(where: Condition) {
    const file = path.join(dir, 'preview.yaml');
    await fs.writeFile(file, segmentYaml({ name: 'preview', subject: 'person', where }));
    const io = captureIo(dir, workspace.env);
    const code = await main(['segment', 'preview', 'preview.yaml', '--sandbox', sandbox, '--format', 'json'], io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  }

  it('evaluates provenance conditions on current data', async () => {
    const { code, out } = await preview({ all: [{ fromSource: 'marketing' }, { hasIdentity: 'ecid' }] });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ sizeAfter: 2 });
  });

  it('names sources and namespaces the sandbox has not applied, with "did you mean"', async () => {
    const { code, err } = await preview({ any: [{ fromSource: 'marketin' }, { hasIdentity: 'ecd' }] });
    expect(code).toBe(1);
    expect(err).toContain(
      'CONFIG_UNKNOWN_REFERENCE preview.yaml:10:9 /spec/where/any/0/fromSource: Source/marketin is not applied; did you mean "marketing"?',
    );
    expect(err).toContain(
      'CONFIG_UNKNOWN_REFERENCE preview.yaml:11:9 /spec/where/any/1/hasIdentity: identity namespace "ecd" is not declared for persons; did you mean "ecid"?',
    );
  });
});

describe('streaming', () => {
  it('enters a person into a streaming provenance segment in the ingest run that brings its record', async () => {
    expect(await members('marketing-with-ecid')).toEqual(['ann@acme.example', 'dee@else.example']);
    await fs.appendFile(path.join(dir, 'data/leads.csv'), 'L4,fay@else.example,E-4\n');
    await run(['source', 'run', 'marketing', '--sandbox', sandbox]);
    expect(await members('marketing-with-ecid')).toEqual(['ann@acme.example', 'dee@else.example', 'fay@else.example']);
  });
});
