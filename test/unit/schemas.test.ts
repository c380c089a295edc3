import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.join(__dirname, '..', '..', 'schemas', 'v1');
const schemas = readdirSync(DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => [f, JSON.parse(readFileSync(path.join(DIR, f), 'utf8'))] as const);

type Schema = Record<string, unknown>;

/** Every subschema with its JSON pointer inside the schema file. */
function* walk(schema: unknown, pointer: string): Generator<[Schema, string]> {
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Schema;
  yield [node, pointer];
  for (const key of ['properties', '$defs']) {
    for (const [name, child] of Object.entries((node[key] as Schema | undefined) ?? {}))
      yield* walk(child, `${pointer}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'then', 'if']) yield* walk(node[key], `${pointer}/${key}`);
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    for (const [i, child] of ((node[key] as unknown[]) ?? []).entries()) yield* walk(child, `${pointer}/${key}/${i}`);
}

function hasDescription(property: Schema, root: Schema): boolean {
  if (typeof property.description === 'string') return true;
  const ref = property.$ref;
  if (typeof ref !== 'string') return false;
  const target = ref.startsWith('#/$defs/') ? (root.$defs as Schema)[ref.slice(8)] : Object.fromEntries(schemas)[ref];
  return typeof (target as Schema | undefined)?.description === 'string';
}

describe('schemas/v1 (the user documentation of every field)', () => {
  it.each(schemas)('%s is draft 2020-12', (_file, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(schemas)('%s describes every property (itself, or through the definition it references)', (_file, schema) => {
    const undocumented: string[] = [];
    for (const [node, pointer] of walk(schema, '')) {
      if (pointer.includes('/if') || pointer.includes('/then')) continue; // conditional constraints, not fields
      for (const [name, property] of Object.entries((node.properties as Schema | undefined) ?? {})) {
        if (typeof property === 'object' && !hasDescription(property as Schema, schema))
          undocumented.push(`${pointer}/properties/${name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it.each(schemas)('%s closes every object with additionalProperties: false (or typed values)', (_file, schema) => {
    const open: string[] = [];
    for (const [node, pointer] of walk(schema, '')) {
      if (
        node.properties &&
        node.additionalProperties !== false &&
        !pointer.includes('/if') &&
        !pointer.includes('/then')
      )
        open.push(pointer || '/');
    }
    expect(open).toEqual([]);
  });
});
