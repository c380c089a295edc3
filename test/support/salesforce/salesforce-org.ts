import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The real sfdx data-tree exports (CC0, see LICENSE-NOTE.md there). */
export const SAMPLE_DIR = path.join(__dirname, '..', '..', 'fixtures', 'salesforce-sample');

/** The objects the sample holds, in the order an org import would load them (accounts first). */
export const SAMPLE_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'] as const;

/** Every record's SystemModstamp is this instant plus its index in minutes, so watermarks are predictable. */
export const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

/** Fields every record has, whatever the export held: set by the org, not imported. */
const SYSTEM_FIELDS = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];

/**
 * Standard fields the export left out but any org has (the Salesforce presets read them), with the
 * value each sample record has: checkboxes are false, never null, in Salesforce.
 */
const STANDARD_FIELDS: Record<string, Record<string, (fields: Record<string, unknown>) => unknown>> = {
  Account: { IsDeleted: () => false, ParentId: () => null, AccountSource: () => null },
  Contact: { IsDeleted: () => false, HasOptedOutOfEmail: () => false },
  Lead: {
    IsDeleted: () => false,
    HasOptedOutOfEmail: () => false,
    ConvertedDate: () => null,
    ConvertedAccountId: () => null,
    ConvertedContactId: () => null,
  },
  Opportunity: {
    IsDeleted: () => false,
    IsClosed: (fields) => String(fields.StageName).startsWith('Closed'),
    IsWon: (fields) => fields.StageName === 'Closed Won',
  },
};

/** A record as the org stores it: canonical field name -> value, ids in place of `@ref` references. */
export type OrgRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

/** One export file: `{ records: [{ attributes: { type, referenceId }, ...fields }] }`. */
interface ExportFile {
  records: Array<Record<string, unknown> & { attributes: { referenceId: string } }>;
}

/**
 * The sample imported into an org: each record gets the id its `referenceId` was made from (the
 * export wrote `ref` + the original 18-character id), `@ref...` lookups become those ids, the
 * system fields get deterministic datetimes, and the standard fields the export omits get their
 * defaults. Records keep the export's order.
 */
export class SalesforceOrg {
  readonly #records = new Map<string, OrgRecord[]>();
  readonly #fields = new Map<string, string[]>();

  constructor(dir = SAMPLE_DIR) {
    for (const object of SAMPLE_OBJECTS) {
      const file = JSON.parse(readFileSync(path.join(dir, `${object}.json`), 'utf8')) as ExportFile;
      const standard = Object.entries(STANDARD_FIELDS[object] ?? {});
      const names = new Set<string>([...SYSTEM_FIELDS, ...standard.map(([name]) => name)]);
      const records = file.records.map((exported, index) => {
        const { attributes, ...fields } = exported;
        for (const name of Object.keys(fields)) names.add(name);
        const stamp = salesforceDatetime(BASE_TIME + index * 60_000);
        const resolved = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, resolveRef(value)]));
        const id = attributes.referenceId.replace(/^ref/, '');
        const defaults = Object.fromEntries(standard.map(([name, defaultOf]) => [name, defaultOf(fields)]));
        return { Id: id, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, ...defaults, ...resolved };
      });
      this.#records.set(object, records);
      this.#fields.set(object, [...names]);
    }
  }

  /** Object names the org knows, as Salesforce spells them. */
  objects(): string[] {
    return [...this.#records.keys()];
  }

  /** The object's records in storage order (a copy of the list; the records are the org's own). */
  records(object: string): OrgRecord[] {
    return [...(this.#records.get(object) ?? [])];
  }

  /** The object's field names (the export's plus the system fields), canonical spelling. */
  fields(object: string): string[] {
    return [...(this.#fields.get(object) ?? [])];
  }

  /** The record with this id, in any object. */
  find(id: string): { object: string; record: OrgRecord } | undefined {
    for (const [object, records] of this.#records) {
      const record = records.find((candidate) => candidate.Id === id);
      if (record) return { object, record };
    }
    return undefined;
  }

  /** Edits a record as a user would: new field values and a SystemModstamp of `at`. */
  update(id: string, changes: Record<string, unknown>, at: number): OrgRecord {
    const found = this.find(id);
    if (!found) throw new Error(`test org has no record ${id}`);
    const stamp = salesforceDatetime(at);
    return Object.assign(found.record, changes, { LastModifiedDate: stamp, SystemModstamp: stamp });
  }
}

/** An instant as the REST API writes datetimes: `2026-01-01T00:05:00.000+0000`. */
export function salesforceDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `@ref0010S00000C1t1vQAB` -> `0010S00000C1t1vQAB`, the id of the record the export referenced. */
function resolveRef(value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('@ref') ? value.slice(4) : value;
}
