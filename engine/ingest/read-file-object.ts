import * as path from 'node:path';
import type { ObjectMapping } from '../../schemas/generated/resource-types';
import type { AppliedSource } from '../runtime/registry/read-applied-config';
import { findFiles } from './find-files';
import { openFile } from './readers/open-file';
import { readCsv } from './readers/read-csv';
import { readJson } from './readers/read-json';
import { readNdjson } from './readers/read-ndjson';
import type { ReadItem, ReadLimits } from './source-record';

/** The marketo/* presets read Marketo's bulk extracts, whose empty values are the text `null`. */
const MARKETO_NULL = 'null';

/** The directory a file source's `baseDir` names, resolved against its resource file's directory. */
export function sourceBaseDir(source: AppliedSource): string {
  const baseDir = source.spec.file!.baseDir;
  if (path.isAbsolute(baseDir)) return baseDir;
  if (!source.resourceDir)
    throw new Error(
      `Source/${source.name} was applied without its config directory, so "${baseDir}" cannot be resolved; re-apply it or use an absolute baseDir`,
    );
  return path.resolve(source.resourceDir, baseDir);
}

/** Every record of every file matching the object's `path`, in file order, as `ReadItem`s. */
export async function* readFileObject(
  source: AppliedSource,
  object: ObjectMapping,
  limits: ReadLimits,
): AsyncGenerator<ReadItem> {
  const baseDir = sourceBaseDir(source);
  const files = await findFiles(baseDir, object.path!);
  if (files.length === 0)
    throw new Error(
      `no file under ${baseDir} matches "${object.path}" (object ${object.name} of Source/${source.name}); check file.baseDir and the object's path`,
    );
  for (const file of files) {
    const input = await openFile(path.join(baseDir, file), source.spec.file?.compression ?? 'auto', file);
    const format = object.format && object.format !== 'auto' ? object.format : formatOf(file);
    if (format === 'csv') {
      const nullValue = object.csv?.nullValue ?? (object.preset?.startsWith('marketo/') ? MARKETO_NULL : undefined);
      yield* readCsv(input, {
        origin: file,
        limits,
        ...(object.csv?.delimiter ? { delimiter: object.csv.delimiter } : {}),
        ...(nullValue ? { nullValue } : {}),
      });
    } else if (format === 'ndjson') {
      yield* readNdjson(input, { origin: file, limits });
    } else {
      yield* readJson(input, { origin: file, limits });
    }
  }
}

function formatOf(file: string): 'csv' | 'ndjson' | 'json' {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.json')) return 'json';
  return 'csv';
}
