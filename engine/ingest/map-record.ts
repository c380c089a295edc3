import { createHash } from 'node:crypto';
import { canonicalJson } from '../plan/canonical-json';
import type { CompiledField, CompiledMapping } from './compile-mapping';
import { convertValue, emailDomain, stripUrl, type TextValue } from './convert-value';
import { getField } from './readers/flatten-fields';
import type { BadRecord, SourceRecord } from './source-record';

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
 * Maps one record: key, typed columns, custom attributes, links and identities. A value that does
 * not convert to its type makes the whole record bad (quarantined with the field and reason),
 * rather than half-loading it.
 */
export function mapRecord(mapping: CompiledMapping, record: SourceRecord): { row: MappedRow } | { bad: BadRecord } {
  const { fields } = record;
  if (mapping.key.length === 0) return mapKeyedRecord(mapping, record, contentKey(fields));
  const keyParts = mapping.key.map((path) => getField(fields, path));
  let key = keyParts.every((v) => !isEmpty(v)) ? keyParts.map((v) => String(v).trim()).join(':') : undefined;
  const fallback = mapping.keyFallback === undefined ? undefined : getField(fields, mapping.keyFallback);
  if (key === undefined && !isEmpty(fallback)) key = String(fallback).trim();
  if (key === undefined) {
    const reason = `the key ${mapping.key.join(' + ')} is empty; every record needs a unique key`;
    return { bad: { position: record.position, field: mapping.key.join('+'), reason } };
  }
  return mapKeyedRecord(mapping, record, key);
}

/**
 * Objects without a key (pushed events) are keyed by their content, so a client that retries a
 * batch it is not sure was received does not create duplicates.
 */
function contentKey(fields: Record<string, unknown>): string {
  return `content:${createHash('sha256').update(canonicalJson(fields)).digest('base64url').slice(0, 32)}`;
}

function mapKeyedRecord(
  mapping: CompiledMapping,
  record: SourceRecord,
  key: string,
): { row: MappedRow } | { bad: BadRecord } {
  const { fields } = record;
  const bad = (field: string | undefined, reason: string) => ({
    bad: {
      position: record.position,
      ...(field ? { field } : {}),
      reason,
      raw: (JSON.stringify(fields) ?? '').slice(0, 2048),
    },
  });
  const columns: TextValue[] = [];
  for (const field of mapping.columns) {
    const converted = convertValue(rawValue(field, fields), field.type);
    if ('error' in converted) return bad(field.from[0] ?? field.target, `${field.target}: ${converted.error}`);
    columns.push(converted.value);
  }
  const attrs: Record<string, string | number | boolean> = {};
  for (const field of mapping.attrs) {
    const converted = convertValue(rawValue(field, fields), field.type);
    if ('error' in converted) return bad(field.from[0] ?? field.target, `${field.target}: ${converted.error}`);
    if (converted.value !== null) attrs[field.target] = typedJson(converted.value, field.type);
  }
  const links = mapping.links.map((field) => linkValue(rawValue(field, fields), mapping.refPrefix));
  const identities = mapping.identities.flatMap((field) => {
    const value = rawValue(field, fields);
    return isEmpty(value) ? [] : [{ namespace: field.target, value: String(value) }];
  });
  const deleted =
    mapping.deletedFlag !== undefined && String(getField(fields, mapping.deletedFlag)).toLowerCase() === 'true';
  const watermarkRaw = mapping.watermark === undefined ? undefined : getField(fields, mapping.watermark);
  const watermark = isEmpty(watermarkRaw) ? undefined : normalizeWatermark(String(watermarkRaw));
  const contentHash = createHash('md5')
    .update(JSON.stringify([columns, attrs, links, identities, deleted]))
    .digest('base64');
  return { row: { key, deleted, columns, attrs, links, identities, contentHash, ...(watermark ? { watermark } : {}) } };
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
