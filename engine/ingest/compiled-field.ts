import type { AttributeType } from '../catalog/attribute-catalog';
import type { FieldSpec } from '../sources/preset-mappings';

/** A value's recipe with its target type resolved. */
export interface CompiledField {
  target: string;
  spec: Exclude<FieldSpec, string | string[]>;
  /** Candidate source fields, first non-empty wins. */
  from: string[];
  type: AttributeType;
  /** Luxon pattern of dates written in a non-ISO form (`MM/dd/yyyy`). */
  format?: string;
  /** The value, in source form, of records that give none (`eventType`, `eventTime`); converted like theirs. */
  fallback?: string;
  /** The fallback is the run's time (`eventTime: ingestion`): left out of the content hash, so a re-run changes nothing. */
  stamped?: boolean;
  /** Set for a NOT NULL column: what to do when a record has no value (the quarantine reason's advice). */
  required?: string;
}
