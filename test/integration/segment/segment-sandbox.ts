import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { stringify } from 'yaml';
import type { Condition } from '../../../schemas/generated/resource-types';
import { rosterAsync } from '../../support/run-roster';
import { useSandboxes } from '../../support/use-sandboxes';

/** One CSV row: column -> value (`undefined`/`null` is written as an empty field, which the loader reads as null). */
export type Row = Record<string, string | number | boolean | null | undefined>;

/**
 * The objects of the `crm` file source, one CSV per object. Keys are the source keys; links name
 * the related row's key (`account: A1`), resolved by the loader and identity stitching.
 */
export interface CrmData {
  accounts?: Row[];
  persons?: Row[];
  opportunities?: Row[];
  roles?: Row[];
  relations?: Row[];
  campaigns?: Row[];
  campaignMembers?: Row[];
  lists?: Row[];
  listMembers?: Row[];
  events?: Row[];
}

interface ObjectSpec {
  entity: string;
  /** Mapped attributes and links; the CSV columns are `id` plus these. */
  fields: readonly string[];
  identities?: Record<string, string>;
}

/** How each CSV becomes B2B rows: every column maps onto the attribute of the same name. */
const OBJECTS: Record<keyof CrmData, ObjectSpec> = {
  accounts: {
    entity: 'account',
    fields: ['name', 'domain', 'industry', 'type', 'annualRevenue', 'numberOfEmployees', 'createdAt', 'parent'],
    identities: { crmAccountId: 'id' },
  },
  persons: {
    entity: 'person',
    fields: [
      'email',
      'firstName',
      'lastName',
      'jobTitle',
      'department',
      'country',
      'leadStatus',
      'emailOptOut',
      'createdAt',
      'score',
      'lastContactDate',
      'account',
    ],
    identities: { crmContactId: 'id' },
  },
  opportunities: {
    entity: 'opportunity',
    fields: ['name', 'stage', 'amount', 'isClosed', 'isWon', 'closeDate', 'account'],
  },
  roles: { entity: 'opportunityPerson', fields: ['role', 'isPrimary', 'opportunity', 'person'] },
  relations: {
    entity: 'accountPerson',
    fields: ['role', 'isPrimary', 'isActive', 'startDate', 'endDate', 'account', 'person'],
  },
  campaigns: { entity: 'campaign', fields: ['name', 'type', 'status'] },
  campaignMembers: { entity: 'campaignMember', fields: ['status', 'campaign', 'person'] },
  lists: { entity: 'marketingList', fields: ['name'] },
  listMembers: { entity: 'marketingListMember', fields: ['addedAt', 'list', 'person'] },
  events: { entity: 'event', fields: ['type', 'occurredAt', 'url', 'campaign', 'person'] },
};

/** The `crm` source: every object of `OBJECTS`, plus two custom person fields (a number and a date). */
function sourceYaml(): string {
  const objects = Object.entries(OBJECTS).map(([name, spec]) => ({
    name,
    entity: spec.entity,
    path: `${name}.csv`,
    key: 'id',
    fields: Object.fromEntries(spec.fields.map((f) => [f, f])),
    ...(spec.identities ? { identities: spec.identities } : {}),
  }));
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Source',
    metadata: { name: 'crm' },
    spec: {
      type: 'file',
      file: { baseDir: '../data' },
      customFields: [
        { entity: 'person', name: 'score', type: 'number' },
        { entity: 'person', name: 'lastContactDate', type: 'date' },
      ],
      objects,
    },
  });
}

const IDENTITY_YAML = `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [crm]
  person: { namespaces: [{ name: crmContactId, type: crm-id, unique: true, priority: 100 }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true, priority: 100 }] }
  accountLinking: { byNamespace: crmAccountId }
`;

/** A segment as a test declares it (always batch: no streaming evaluation behind the test's back). */
export interface SegmentDefinition {
  name: string;
  subject: 'person' | 'account';
  where: Condition;
}

export function segmentYaml(segment: SegmentDefinition): string {
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Segment',
    metadata: { name: segment.name },
    spec: { subject: segment.subject, evaluation: 'batch', where: segment.where },
  });
}

/** A `file` Destination activating `segments`. */
export function fileDestinationYaml(name: string, segments: readonly string[], directory: string): string {
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Destination',
    metadata: { name },
    spec: { type: 'file', file: { directory, format: 'csv' }, segments: segments.map((segment) => ({ segment })) },
  });
}

function csvCell(value: Row[string]): string {
  const text = value === null || value === undefined ? '' : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** Writes every object's CSV (header only when the object has no rows). */
export async function writeCrmData(dir: string, data: CrmData): Promise<void> {
  await fs.mkdir(path.join(dir, 'data'), { recursive: true });
  for (const [name, spec] of Object.entries(OBJECTS) as [keyof CrmData, ObjectSpec][]) {
    const columns = ['id', ...spec.fields];
    const lines = [
      columns.join(','),
      ...(data[name] ?? []).map((row) => columns.map((c) => csvCell(row[c])).join(',')),
    ];
    await fs.writeFile(path.join(dir, 'data', `${name}.csv`), `${lines.join('\n')}\n`);
  }
}

/** Writes the source, the identity mapping and `extra` resource files (`segments/x.yaml` -> text). */
export async function writeConfig(dir: string, extra: Record<string, string>): Promise<void> {
  const files = { 'sources/crm.yaml': sourceYaml(), 'identity.yaml': IDENTITY_YAML, ...extra };
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
}

/** Runs the real `roster` executable; resolves to its stdout, rejects with its output when it exits non-zero. */
export async function rosterOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, stdout, stderr } = await rosterAsync(args, env).done;
  if (code !== 0) throw new Error(`roster ${args.join(' ')} exited ${code}:\n${stderr}${stdout}`);
  return stdout;
}

/** What a segment test file needs; valid inside tests and hooks (after the file's `beforeAll`). */
export interface SegmentWorkspace {
  readonly pool: Pool;
  readonly env: NodeJS.ProcessEnv;
  /** A fresh sandbox and config directory (dropped after the file); nothing applied yet. */
  newSandbox(prefix: string): Promise<{ sandbox: string; dir: string }>;
  /** `roster apply DIR` then `roster source run crm` (which stitches identities and resolves links). */
  applyAndLoad(dir: string, sandbox: string): Promise<void>;
}

/** Registers the file's hooks (see `useSandboxes`). */
export function useSegmentWorkspace(): SegmentWorkspace {
  const sandboxes = useSandboxes('roster-segment-');
  return {
    get pool() {
      return sandboxes.pool;
    },
    get env() {
      return sandboxes.env;
    },
    newSandbox: (prefix) => sandboxes.create(prefix),
    async applyAndLoad(dir, sandbox) {
      await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], sandboxes.env);
      await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox, '--format', 'json'], sandboxes.env);
    },
  };
}

/** Labels (email, else first name; account name) of a segment's current members, read with plain SQL, sorted. */
export async function memberLabels(pool: Pool, sandbox: string, segment: string): Promise<string[]> {
  const s = `roster_${sandbox}`;
  const { rows } = await pool.query<{ label: string }>(
    `select coalesce(p.email, p.first_name, a.name) as label from ${s}.segment_memberships m
     left join ${s}.persons p on m.subject_type = 'person' and p.id = m.subject_id
     left join ${s}.accounts a on m.subject_type = 'account' and a.id = m.subject_id
     where m.segment = $1`,
    [segment],
  );
  return rows.map((r) => r.label).sort();
}
