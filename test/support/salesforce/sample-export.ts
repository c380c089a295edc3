import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_DIR } from './salesforce-org';

/** One export file read directly, as the independent expectation for what the org holds. */
export interface SampleExport {
  /** The header's `totalSize`, as written (Opportunity says 10 and holds 9). */
  declaredSize: number;
  /** Field names the export uses, `attributes` excluded, in first-seen order. */
  fields: string[];
  /** Each record as a query of `Id` plus `fields` should return it, `attributes` aside. */
  expected: Array<Record<string, unknown>>;
}

/**
 * What the export file says about `object`: ids from `referenceId` (`ref` + id), `@ref` lookups
 * as the referenced id, and null for a field the record does not have (the API returns null).
 */
export function sampleExport(object: string): SampleExport {
  const file = JSON.parse(readFileSync(path.join(SAMPLE_DIR, `${object}.json`), 'utf8')) as {
    totalSize: number;
    records: Array<Record<string, unknown> & { attributes: { referenceId: string } }>;
  };
  const fields = [...new Set(file.records.flatMap((record) => Object.keys(record)))].filter((f) => f !== 'attributes');
  const expected = file.records.map((record) => {
    const shaped: Record<string, unknown> = { Id: record.attributes.referenceId.slice('ref'.length) };
    for (const field of fields) {
      const value = record[field] ?? null;
      shaped[field] = typeof value === 'string' && value.startsWith('@ref') ? value.slice('@ref'.length) : value;
    }
    return shaped;
  });
  return { declaredSize: file.totalSize, fields, expected };
}
