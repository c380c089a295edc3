import standaloneCode from 'ajv/dist/standalone';
import { createSchemaAjv, VALIDATOR_SCHEMAS } from './schema-validator';

/**
 * The schema validators as one CommonJS module of generated code (ajv's standalone output),
 * exporting `envelope` and one validator per kind. `npm run build` writes it into dist/ so the
 * installed package does not compile the schemas at every start (docs/decisions.md 49).
 */
export function precompiledValidatorsSource(): string {
  const ajv = createSchemaAjv({ source: true });
  return standaloneCode(ajv, { ...VALIDATOR_SCHEMAS });
}
