import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import destinationSchema from '../../schemas/v1/destination.schema.json';
import envelopeSchema from '../../schemas/v1/envelope.schema.json';
import identityMappingSchema from '../../schemas/v1/identity-mapping.schema.json';
import metadataSchema from '../../schemas/v1/metadata.schema.json';
import segmentSchema from '../../schemas/v1/segment.schema.json';
import sourceSchema from '../../schemas/v1/source.schema.json';
import { SECRET_REF_PREFIX } from './render-template';

export const RESOURCE_KINDS = ['Source', 'IdentityMapping', 'Segment', 'Destination'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The compiled validators: one per kind, and the envelope for documents whose kind is unknown. */
export interface SchemaValidators {
  envelope: ValidateFunction;
  byKind: Record<ResourceKind, ValidateFunction>;
}

/** A value that is a secret reference rather than a secret: `secret://NAME`, as `secret("NAME")` renders. */
export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && /^secret:\/\/[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(value);
}

let compiled: SchemaValidators | undefined;

/** Validators compiled once per process (compiling is the expensive part; validating is cheap). */
export function getSchemaValidators(): SchemaValidators {
  compiled ??= compileValidators();
  return compiled;
}

function compileValidators(): SchemaValidators {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  // Marks a field that must hold a secret reference, never the secret itself.
  ajv.addKeyword({
    keyword: 'x-roster-secret',
    schemaType: 'boolean',
    validate: (required: boolean, data: unknown) => !required || typeof data !== 'string' || isSecretRef(data),
  });
  // The user-facing wording of a `pattern`, read by the error mapper.
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addSchema(metadataSchema, 'metadata.schema.json');
  return {
    envelope: ajv.compile(envelopeSchema),
    byKind: {
      Source: ajv.compile(sourceSchema),
      IdentityMapping: ajv.compile(identityMappingSchema),
      Segment: ajv.compile(segmentSchema),
      Destination: ajv.compile(destinationSchema),
    },
  };
}

export type { ErrorObject };
export { SECRET_REF_PREFIX };
