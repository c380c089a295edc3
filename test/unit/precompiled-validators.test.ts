import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { precompiledValidatorsSource } from '../../engine/config/precompiled-validators-source';
import { createSchemaAjv, VALIDATOR_SCHEMAS } from '../../engine/config/schema-validator';

/**
 * The validators `npm run build` generates for the package (ajv standalone code) judge every
 * document exactly as the validators compiled at run time do: same verdict, same errors. The
 * documents are the example project's and those of every golden validate scenario (valid and not).
 */
const ROOT = path.join(__dirname, '..', '..');
let work: string;
let precompiled: Record<string, ValidateFunction>;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-precompiled-'));
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
  const file = path.join(work, 'validators.js');
  await fs.writeFile(file, precompiledValidatorsSource());
  precompiled = createRequire(file)(file);
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'data' || name === 'node_modules') return [];
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.(ya?ml|json)$/.test(name) && statSync(full).size < 100_000 ? [full] : [];
  });
}

function documents(): unknown[] {
  const files = [...yamlFiles(path.join(ROOT, 'examples', 'acme')), ...yamlFiles(path.join(ROOT, 'test', 'golden'))];
  return files.flatMap((file) => {
    try {
      return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((d) => (d.errors.length > 0 ? [] : [d.toJS()]));
    } catch {
      return []; // a golden file that is broken on purpose
    }
  });
}

describe('precompiled schema validators', () => {
  it('give the same verdict and errors as the validators compiled at run time', () => {
    const ajv = createSchemaAjv();
    const docs = documents();
    expect(docs.length).toBeGreaterThan(40);
    let invalid = 0;
    for (const [name, key] of Object.entries(VALIDATOR_SCHEMAS)) {
      const runtime = ajv.getSchema(key)!;
      for (const doc of docs) {
        const verdict = runtime(doc);
        expect(precompiled[name]!(doc), `${name}: ${JSON.stringify(doc).slice(0, 80)}`).toBe(verdict);
        expect(precompiled[name]!.errors ?? null).toEqual(runtime.errors ?? null);
        if (!verdict) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(0);
  });

  it('refuse a plain-text secret as the compiled ones do', () => {
    const source = {
      apiVersion: 'roster/v1',
      kind: 'Source',
      metadata: { name: 'pg' },
      spec: { type: 'postgres', postgres: { url: 'postgres://u:plain@db/x', query: 'select 1' }, objects: [] },
    };
    expect(precompiled.Source!(source)).toBe(false);
    expect(precompiled.Source!.errors?.some((e) => e.keyword === 'x-roster-secret')).toBe(true);
  });
});
