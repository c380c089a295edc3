import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, renderReference } from '../../schemas/generate-reference';
import { GENERATED_TYPES_PATH, renderResourceTypes } from '../../schemas/generate-types';

describe('files generated from the schemas', () => {
  it('schemas/generated/resource-types.ts is what the schemas generate today (run `npm run gen:types` after editing a schema)', async () => {
    const committed = await fs.readFile(GENERATED_TYPES_PATH, 'utf8');
    expect(committed).toBe(await renderResourceTypes());
  });

  it('docs/reference.md is what the schemas generate today (run `npm run gen:types`)', async () => {
    expect(await fs.readFile(REFERENCE_PATH, 'utf8')).toBe(renderReference());
  });
});
