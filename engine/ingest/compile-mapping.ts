import type { ObjectMapping, SourceSpec } from '../../schemas/generated/resource-types';
import type { AttributeCatalog, AttributeType } from '../catalog/attribute-catalog';
import { MAPPED_CATALOG_ENTITY } from '../catalog/mapping-targets';
import { ENTITY_TABLES, type EntityTable } from '../runtime/entity-tables';
import type { FieldSpec, PresetMapping } from '../sources/preset-mappings';
import { PRESET_MAPPINGS } from '../sources/preset-mappings';
import { SOURCE_PRESETS } from '../sources/source-presets';
import type { CompiledField } from './compiled-field';
import { completeRequiredColumns } from './required-columns';

/** Everything needed to turn one record of one source object into a row, resolved once per run. */
export interface CompiledMapping {
  source: string;
  sourceType: SourceSpec['type'];
  object: ObjectMapping;
  table: EntityTable;
  key: string[];
  keyFallback?: string;
  refPrefix?: string;
  deletedFlag?: string;
  /** Typed columns. */
  columns: CompiledField[];
  /** Custom fields, into `attrs`. */
  attrs: CompiledField[];
  links: CompiledField[];
  /** Namespace -> field. */
  identities: CompiledField[];
  watermark?: string;
}

/** Entries of an optional map whose values are defined (generated index signatures include undefined). */
function definedEntries<V>(map: Readonly<Record<string, V | undefined>> | undefined): [string, V][] {
  return Object.entries(map ?? {}).filter((entry): entry is [string, V] => entry[1] !== undefined);
}

function normalize(target: string, spec: FieldSpec, type: AttributeType, format?: string): CompiledField {
  const full = typeof spec === 'string' || Array.isArray(spec) ? { from: spec } : spec;
  const from = full.from === undefined ? [] : Array.isArray(full.from) ? [...full.from] : [full.from];
  return { target, spec: full, from, type, ...(format === undefined ? {} : { format }) };
}

/**
 * Merges the preset (if any) with the object's own `fields`, `identities` and key, and types every
 * value from the attribute catalog. Validation has already checked names against the catalog.
 * Required columns (events' type and time) are always compiled; `ingestedAt` is the time
 * `eventTime: ingestion` gives (the run's start).
 */
export function compileMapping(
  source: { name: string; spec: SourceSpec },
  object: ObjectMapping,
  catalog: AttributeCatalog,
  ingestedAt: Date = new Date(),
): CompiledMapping {
  const preset: PresetMapping | undefined = object.preset ? PRESET_MAPPINGS[object.preset] : undefined;
  const table = ENTITY_TABLES[object.entity];
  const attributes = catalog.get(MAPPED_CATALOG_ENTITY[object.entity])!;
  const columnTypes = new Map(table.columns.map((c) => [c.attribute, c.type]));
  const wanted = { ...(preset?.fields ?? {}) } as Record<string, FieldSpec>;
  for (const [name, spec] of definedEntries(object.fields))
    wanted[name] = typeof spec === 'string' ? spec : { from: spec.from };
  const columns: CompiledField[] = [];
  const attrs: CompiledField[] = [];
  for (const [name, spec] of Object.entries(wanted)) {
    const own = object.fields?.[name];
    const { type, format } = typeof own === 'object' ? own : { type: undefined, format: undefined };
    if (columnTypes.has(name))
      columns.push(impliedTransform(object.entity, normalize(name, spec, type ?? columnTypes.get(name)!, format)));
    else if (attributes.get(name)?.custom)
      attrs.push(normalize(name, spec, type ?? attributes.get(name)!.type, format));
  }
  completeRequiredColumns(columns, table, object, ingestedAt);
  const links = Object.entries({ ...(preset?.links ?? {}) }).map(([name, spec]) => normalize(name, spec, 'string'));
  for (const [name, spec] of definedEntries(object.fields)) {
    if (name in table.links) links.push(normalize(name, typeof spec === 'string' ? spec : spec.from, 'string'));
  }
  const presetKey = preset ? (Array.isArray(preset.key) ? [...preset.key] : [preset.key]) : [];
  const identities = definedEntries(object.identities).map(([namespace, field]) =>
    withKeyFallback(normalize(namespace, field, 'string'), presetKey, preset?.keyFallback),
  );
  const watermark = object.watermark ?? (object.preset ? SOURCE_PRESETS[object.preset].watermark : undefined);
  return {
    source: source.name,
    sourceType: source.spec.type,
    object,
    table,
    key: object.key ? [object.key] : presetKey,
    columns,
    attrs,
    links,
    identities,
    ...(preset?.keyFallback && !object.key ? { keyFallback: preset.keyFallback } : {}),
    ...(preset?.refPrefix ? { refPrefix: preset.refPrefix } : {}),
    ...(preset?.deletedFlag ? { deletedFlag: preset.deletedFlag } : {}),
    ...(watermark ? { watermark } : {}),
  };
}

/**
 * An account's `domain` is a bare domain whatever column fills it (a `Website` of
 * `https://www.acme.example/` becomes `acme.example`), as the catalog promises and segments compare.
 */
function impliedTransform(entity: ObjectMapping['entity'], field: CompiledField): CompiledField {
  if (entity !== 'account' || field.target !== 'domain' || field.spec.transform || field.spec.constant !== undefined)
    return field;
  return { ...field, spec: { ...field.spec, transform: 'stripUrl' } };
}

/**
 * An identity read from the preset's key field (`Id`) falls back to the record id the export
 * carries instead (`attributes.referenceId` in Salesforce data-tree exports), as the key does, so
 * `crmAccountId: Id` links the same records whichever export format the files are in.
 */
function withKeyFallback(field: CompiledField, presetKey: string[], fallback: string | undefined): CompiledField {
  if (fallback === undefined || presetKey.length !== 1 || !field.from.includes(presetKey[0]!)) return field;
  return { ...field, from: [...field.from, fallback] };
}

/**
 * The top-level source fields the mapping reads (for APIs that need the field list: Salesforce
 * SOQL, Marketo bulk extracts). Dotted paths contribute their first segment.
 */
export function sourceFieldsOf(mapping: CompiledMapping): string[] {
  const fields = new Set<string>(mapping.key);
  for (const field of [...mapping.columns, ...mapping.attrs, ...mapping.links, ...mapping.identities]) {
    for (const from of field.from) fields.add(from);
    if (field.spec.when) fields.add(field.spec.when.field);
  }
  if (mapping.deletedFlag) fields.add(mapping.deletedFlag);
  if (mapping.watermark) fields.add(mapping.watermark);
  return [...fields].map((f) => f.split('.')[0]!).filter((f, i, all) => all.indexOf(f) === i && f !== 'attributes');
}
