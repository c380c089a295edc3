import Ajv2020, { _, type ErrorObject, type KeywordCxt, type ValidateFunction } from 'ajv/dist/2020';
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

const SECRET_REF = /^secret:\/\/[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A value that is a secret reference rather than a secret: `secret://NAME`, as `secret("NAME")` renders. */
export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && SECRET_REF.test(value);
}

let compiled: SchemaValidators | undefined;

/**
 * Validators built once per process: the ones `npm run build` generated into dist/ when running
 * compiled (compiling the schemas was most of `roster validate`'s start-up), else compiled now.
 */
export function getSchemaValidators(): SchemaValidators {
  compiled ??= loadPrecompiledValidators() ?? compileValidators();
  return compiled;
}

/** File the build writes beside the compiled schema-validator.js (see `precompiledValidatorsSource`). */
export const PRECOMPILED_VALIDATORS_FILE = 'schema-validators.precompiled.js';
/** Schema keys of the validators, as `standaloneCode` exports them. */
export const VALIDATOR_SCHEMAS = {
  envelope: 'envelope.schema.json',
  Source: 'source.schema.json',
  IdentityMapping: 'identity-mapping.schema.json',
  Segment: 'segment.schema.json',
  Destination: 'destination.schema.json',
} as const;

function loadPrecompiledValidators(): SchemaValidators | undefined {
  // Only the compiled build has the file; the sources (tsx, vitest) always compile.
  if (!__filename.endsWith('.js')) return undefined;
  let exported: Record<keyof typeof VALIDATOR_SCHEMAS, ValidateFunction>;
  try {
    exported = require(`./${PRECOMPILED_VALIDATORS_FILE}`);
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined; // built without it
    throw error;
  }
  const { envelope, ...byKind } = exported;
  return { envelope, byKind };
}

/** The Ajv instance holding every schema, with Roster's keywords; also what the build precompiles. */
export function createSchemaAjv(options: { source?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: options.source === true },
  });
  addFormats(ajv);
  // Marks a field that must hold a secret reference, never the secret itself. Written as code
  // (not a validate function) so that the validators can be generated as standalone code.
  ajv.addKeyword({
    keyword: 'x-roster-secret',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      if (cxt.schema !== true) return;
      const pattern = cxt.gen.scopeValue('pattern', { ref: SECRET_REF, code: _`new RegExp(${SECRET_REF.source})` });
      cxt.fail(_`typeof ${cxt.data} == "string" && !${pattern}.test(${cxt.data})`);
    },
  });
  // The user-facing wording of a `pattern`, read by the error mapper.
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addSchema(metadataSchema, 'metadata.schema.json');
  ajv.addSchema(envelopeSchema, VALIDATOR_SCHEMAS.envelope);
  ajv.addSchema(sourceSchema, VALIDATOR_SCHEMAS.Source);
  ajv.addSchema(identityMappingSchema, VALIDATOR_SCHEMAS.IdentityMapping);
  ajv.addSchema(segmentSchema, VALIDATOR_SCHEMAS.Segment);
  ajv.addSchema(destinationSchema, VALIDATOR_SCHEMAS.Destination);
  return ajv;
}

function compileValidators(): SchemaValidators {
  const ajv = createSchemaAjv();
  const get = (key: string) => ajv.getSchema(key)!;
  return {
    envelope: get(VALIDATOR_SCHEMAS.envelope),
    byKind: {
      Source: get(VALIDATOR_SCHEMAS.Source),
      IdentityMapping: get(VALIDATOR_SCHEMAS.IdentityMapping),
      Segment: get(VALIDATOR_SCHEMAS.Segment),
      Destination: get(VALIDATOR_SCHEMAS.Destination),
    },
  };
}

export type { ErrorObject };
export { SECRET_REF_PREFIX };
