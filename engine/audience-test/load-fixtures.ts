import * as path from 'node:path';
import type { FixtureData } from '../../schemas/generated/resource-types';
import { checkPushedRecord } from '../ingest/check-pushed-record';
import { ingestObjects } from '../ingest/ingest-objects';
import { readFileObject } from '../ingest/read-file-object';
import type { BadRecord, ReadItem } from '../ingest/source-record';
import type { Queryable } from '../runtime/queryable';
import type { AppliedConfig, AppliedSource } from '../runtime/registry/read-applied-config';
import type { AudienceTest } from './audience-test';

const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Loads a test's fixture blocks into the sandbox, each through its source object's own mapping
 * (one ingest run per block, as `roster source run` would), and returns the records the mapping
 * quarantined, each as `file:line` or `#index`, field and reason. Every good record is kept: the
 * error ratio is lifted, because a refused fixture fails the test by itself.
 */
export async function loadFixtures(
  db: Queryable,
  sandbox: string,
  config: AppliedConfig,
  test: AudienceTest,
): Promise<string[]> {
  const quarantined: string[] = [];
  for (const [i, data] of test.spec.data.entries()) {
    const source = lenient(config.sources.get(data.source)!);
    const origin = data.file ?? `${test.file} /spec/data/${i}/records`;
    const result = await ingestObjects(
      db,
      sandbox,
      source,
      config.catalog,
      [{ object: data.object, items: fixtureItems(source, data, test.dir) }],
      { trigger: 'manual', onQuarantine: (bad) => quarantined.push(describeBad(origin, bad)) },
    );
    if (result.status !== 'succeeded')
      throw new Error(`loading /spec/data/${i} through Source/${data.source} failed: ${result.error}`);
  }
  return quarantined;
}

function lenient(source: AppliedSource): AppliedSource {
  return { ...source, spec: { ...source.spec, badRecords: { ...source.spec.badRecords, maxErrorRatio: 1 } } };
}

/** Inline records as the push path checks them; a file read by the file source's reader (CSV options, presets). */
function fixtureItems(source: AppliedSource, data: FixtureData, dir: string): AsyncIterable<ReadItem> {
  if (data.records) return toAsync(data.records.map((record, i) => checkPushedRecord(record, i, MAX_RECORD_BYTES)));
  const object = source.spec.objects.find((o) => o.name === data.object)!;
  const asFileSource: AppliedSource = {
    ...source,
    spec: { ...source.spec, file: { baseDir: path.resolve(dir), compression: 'auto' } },
  };
  return readFileObject(asFileSource, { ...object, path: data.file! }, { maxRecordBytes: MAX_RECORD_BYTES });
}

function describeBad(origin: string, bad: BadRecord): string {
  const where = bad.position.line !== undefined ? `${origin}:${bad.position.line}` : `${origin}/${bad.position.index}`;
  return `${where}${bad.field ? ` field ${bad.field}` : ''}: ${bad.reason}`;
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
