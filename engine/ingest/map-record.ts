import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';
import { emailDomain, stripUrl } from '../util/strip-url';
import type { CompiledMapping } from './compile-mapping';
import type { CompiledField } from './compiled-field';
import { convertValue, type TextValue } from './convert-value';
import { exceedsDepth, MAX_RECORD_DEPTH } from './exceeds-depth';
import { getField } from './readers/flatten-fields';
import type { BadRecord, SourceRecord } from './source-record';
import { textProblem } from './text-problem';

/** A record ready to stage: typed text values in the compiled mapping's order. */
export interface MappedRow {
  key: string;
  /** The source marks it deleted: remove the row. */
  deleted: boolean;
  columns: TextValue[];
  attrs: Record<string, string | number | boolean>;
  links: TextValue[];
  /** Raw identity values by namespace, before normalisation. */
  identities: { namespace: string; value: string }[];
  /** Value of the watermark field, normalised for comparison (ISO for times). */
  watermark?: string;
  contentHash: string;
}

/** What mapping one record gives: the row to stage, or the record for the quarantine with its field and reason. */
export type MapResult = { row: MappedRow } | { bad: BadRecord };

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The raw value a field recipe yields for a record (before type conversion). */
function rawValue(field: CompiledField, fields: Record<string, unknown>): unknown {
  const { spec } = field;
  if (spec.when && !spec.when.in.includes(String(getField(fields, spec.when.field) ?? ''))) return null;
  if (spec.constant !== undefined) return spec.constant;
  const raw = field.from.map((path) => getField(fields, path)).find((v) => !isEmpty(v));
  if (isEmpty(raw)) return null;
  if (spec.lookup) return spec.lookup[String(raw)] ?? spec.otherwise?.replace('{value}', String(raw)) ?? String(raw);
  if (spec.transform === 'stripUrl') return stripUrl(String(raw)) || null;
  if (spec.transform === 'emailDomain') return emailDomain(String(raw)) ?? null;
  return raw;
}

/**
 * Maps one record: key, typed columns, custom attributes, links and identities, every value checked
 * the way PostgreSQL will check it. A record too deeply nested, missing a required value (an event's
 * type or time, the key), or with a value that does not convert or that PostgreSQL would refuse is
 * bad: it comes back with its position, field and reason for the quarantine, rather than
 * half-loading it or failing the run's COPY for every other record. Pure; the push endpoint can
 * call it per record as the file and API readers' runs do.
 */
export function mapRecord(mapping: CompiledMapping, record: SourceRecord): MapResult {
  const { fields, position } = record;
  if (exceedsDepth(fields)) {
    const reason = `the record nests objects or arrays more than ${MAX_RECORD_DEPTH} levels deep; flatten it before loading`;
    return { bad: { position, reason } };
  }
  if (mapping.key.length === 0) return mapKeyedRecord(mapping, record, contentKey(fields));
  const keyParts = mapping.key.map((path) => getField(fields, path));
  let key = keyParts.every((v) => !isEmpty(v)) ? keyParts.map((v) => String(v).trim()).join(':') : undefined;
  const fallback = mapping.keyFallback === undefined ? undefined : getField(fields, mapping.keyFallback);
  if (key === undefined && !isEmpty(fallback)) key = String(fallback).trim();
  const field = mapping.key.join('+');
  if (keyParts.some((v) => typeof v === 'object' && v !== null)) {
    const reason = `the key ${mapping.key.join(' + ')} holds an object or array; a key is text or a number`;
    return { bad: { position, field, reason, raw: rawOf(fields) } };
  }
  if (key === undefined) {
    const reason = `the key ${mapping.key.join(' + ')} is empty; every record needs a unique key`;
    return { bad: { position, field, reason, raw: rawOf(fields) } };
  }
  const problem = textProblem(key);
  if (problem !== undefined)
    return { bad: { position, field, reason: `key: the value ${problem}`, raw: rawOf(fields) } };
  return mapKeyedRecord(mapping, record, key);
}

/**
 * Objects without a key (pushed events) are keyed by their content, so a client that retries a
 * batch it is not sure was received does not create duplicates. Callers check the depth first.
 */
function contentKey(fields: Record<string, unknown>): string {
  return `content:${createHash('sha256').update(canonicalJson(fields)).digest('base64url').slice(0, 32)}`;
}

/** The record's text for the quarantine, cut to 2 KiB (records reaching here are depth-checked). */
function rawOf(fields: Record<string, unknown>): string {
  return (JSON.stringify(fields) ?? '').slice(0, 2048);
}

function mapKeyedRecord(mapping: CompiledMapping, record: SourceRecord, key: string): MapResult {
  const { fields } = record;
  const bad = (field: string, reason: string): MapResult => ({
    bad: { position: record.position, field, reason, raw: rawOf(fields) },
  });
  const typed = mapTypedValues(mapping, fields);
  if ('failure' in typed) return bad(typed.failure.field, typed.failure.reason);
  const { columns, attrs, hashed } = typed;
  const links = mapping.links.map((field) => linkValue(rawValue(field, fields), mapping.refPrefix));
  const identities = mapping.identities.flatMap((field) => {
    const value = rawValue(field, fields);
    return isEmpty(value) ? [] : [{ namespace: field.target, value: String(value) }];
  });
  const deleted =
    mapping.deletedFlag !== undefined && String(getField(fields, mapping.deletedFlag)).toLowerCase() === 'true';
  const watermarkRaw = mapping.watermark === undefined ? undefined : getField(fields, mapping.watermark);
  const watermark = isEmpty(watermarkRaw) ? undefined : normalizeWatermark(String(watermarkRaw));
  const unstorable = findUnstorable(mapping, links, identities, watermark);
  if (unstorable !== undefined) return bad(unstorable.field, unstorable.reason);
  const contentHash = createHash('md5')
    .update(JSON.stringify([hashed, attrs, links, identities, deleted]))
    .digest('base64');
  return { row: { key, deleted, columns, attrs, links, identities, contentHash, ...(watermark ? { watermark } : {}) } };
}

interface Failure {
  field: string;
  reason: string;
}

/** Columns and custom attributes converted to their types; `hashed` is the columns without run-time stamps. */
function mapTypedValues(
  mapping: CompiledMapping,
  fields: Record<string, unknown>,
):
  | { columns: TextValue[]; attrs: Record<string, string | number | boolean>; hashed: TextValue[] }
  | { failure: Failure } {
  const columns: TextValue[] = [];
  const hashed: TextValue[] = [];
  for (const field of mapping.columns) {
    const converted = typedValue(field, fields);
    if ('failure' in converted) return converted;
    columns.push(converted.value);
    hashed.push(converted.stamped ? null : converted.value);
  }
  const attrs: Record<string, string | number | boolean> = {};
  for (const field of mapping.attrs) {
    const converted = typedValue(field, fields);
    if ('failure' in converted) return converted;
    if (converted.value !== null) attrs[field.target] = typedJson(converted.value, field.type);
  }
  return { columns, attrs, hashed };
}

/** One field's value in its type: the record's, else the object's fallback; a required field must get one. */
function typedValue(
  field: CompiledField,
  fields: Record<string, unknown>,
): { value: TextValue; stamped: boolean } | { failure: Failure } {
  const where = field.from[0] ?? field.target;
  const raw = rawValue(field, fields);
  if (field.required !== undefined && typeof raw === 'object' && raw !== null)
    return { failure: { field: where, reason: `${field.target}: expected a ${field.type}, got an object or array` } };
  const converted = convertValue(raw, field.type, field.format);
  if ('error' in converted) return { failure: { field: where, reason: `${field.target}: ${converted.error}` } };
  if (converted.value !== null || field.fallback === undefined) {
    if (converted.value === null && field.required !== undefined)
      return { failure: { field: where, reason: missingReason(field) } };
    return { value: converted.value, stamped: false };
  }
  const fallback = convertValue(field.fallback, field.type);
  if ('error' in fallback) return { failure: { field: field.target, reason: `${field.target}: ${fallback.error}` } };
  return { value: fallback.value, stamped: field.stamped === true };
}

function missingReason(field: CompiledField): string {
  const mapped = field.from.length > 0 ? `is empty (${field.from.join(', ')})` : 'is not mapped';
  return `${field.target} ${mapped}; ${field.required}`;
}

/** Links, identities and the watermark are text too: the first one PostgreSQL would refuse. */
function findUnstorable(
  mapping: CompiledMapping,
  links: TextValue[],
  identities: { namespace: string; value: string }[],
  watermark: string | undefined,
): Failure | undefined {
  const failure = (field: string, value: TextValue | undefined): Failure | undefined => {
    const problem = value === null || value === undefined ? undefined : textProblem(value);
    return problem === undefined ? undefined : { field, reason: `${field}: the value ${problem}` };
  };
  for (const [i, value] of links.entries()) {
    const found = failure(mapping.links[i]!.from[0] ?? mapping.links[i]!.target, value);
    if (found !== undefined) return found;
  }
  for (const { namespace, value } of identities) {
    const found = failure(namespace, value);
    if (found !== undefined) return found;
  }
  return failure(mapping.watermark ?? 'watermark', watermark);
}

function linkValue(raw: unknown, refPrefix: string | undefined): TextValue {
  if (isEmpty(raw)) return null;
  const text = String(raw).trim();
  return refPrefix && text.startsWith(`${refPrefix}ref`) ? text.slice(refPrefix.length) : text;
}

function typedJson(value: string, type: string): string | number | boolean {
  if (type === 'number') return Number(value);
  if (type === 'boolean') return value === 't';
  return value;
}

/** Times compare as ISO strings, whole numbers zero-padded (so text order is numeric order), anything else as given. */
function normalizeWatermark(text: string): string {
  if (/^\d{1,20}$/.test(text)) return text.padStart(20, '0');
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const millis = Date.parse(text.includes('T') && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? `${text}Z` : text);
    if (!Number.isNaN(millis)) return new Date(millis).toISOString();
  }
  return text;
}
