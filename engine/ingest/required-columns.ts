import type { ObjectMapping } from '../../schemas/generated/resource-types';
import type { EntityTable } from '../runtime/entity-tables';
import type { CompiledField } from './compiled-field';

/** What to set when a required attribute has no value, per attribute (events' type and time). */
const ADVICE: Readonly<Record<string, string>> = {
  type: 'an event needs a type: map fields.type to the field that holds it, or set eventType on the object (e.g. eventType: purchase)',
  occurredAt:
    'an event needs a time: map fields.occurredAt to the field that holds it, or set eventTime on the object (eventTime: ingestion, or a constant date-time such as 2024-01-01T00:00:00Z)',
};

/**
 * Makes sure every NOT NULL column of the entity table is among `columns`, marked required with
 * the advice its quarantine reason gives, and with the object's fallback for it (`eventType`,
 * `eventTime`). A required column nobody maps is still compiled, so each record reports it missing
 * rather than PostgreSQL failing the run. `ingestedAt` is what `eventTime: ingestion` stamps.
 */
export function completeRequiredColumns(
  columns: CompiledField[],
  table: EntityTable,
  object: ObjectMapping,
  ingestedAt: Date,
): void {
  for (const column of table.columns.filter((c) => c.required)) {
    let field = columns.find((c) => c.target === column.attribute);
    if (field === undefined) {
      field = { target: column.attribute, spec: {}, from: [], type: column.type };
      columns.push(field);
    }
    field.required = ADVICE[column.attribute] ?? `every ${object.entity} needs ${column.attribute}; map it in fields`;
    Object.assign(field, fallbackOf(column.attribute, object, ingestedAt));
  }
}

function fallbackOf(
  attribute: string,
  object: ObjectMapping,
  ingestedAt: Date,
): Pick<CompiledField, 'fallback' | 'stamped'> {
  if (attribute === 'type' && object.eventType !== undefined) return { fallback: object.eventType };
  if (attribute !== 'occurredAt' || object.eventTime === undefined) return {};
  return object.eventTime === 'ingestion'
    ? { fallback: ingestedAt.toISOString(), stamped: true }
    : { fallback: object.eventTime };
}
