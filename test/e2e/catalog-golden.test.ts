import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';
import { expectGolden } from '../support/golden';

/** `test/golden/catalog/config`: two sources (presets with overrides, custom fields, hand mappings). */
const GOLDEN = path.join(__dirname, '..', 'golden', 'catalog');
let cwd: string;

beforeAll(async () => {
  cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-catalog-'));
  await fs.cp(path.join(GOLDEN, 'config'), path.join(cwd, 'config'), { recursive: true });
});
afterAll(async () => fs.rm(cwd, { recursive: true, force: true }));

async function roster(args: string[]) {
  const io = captureIo(cwd, {});
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('roster catalog', () => {
  it('prints the attributes per entity with type, declaration and the source fields that fill them', async () => {
    const { code, out, err } = await roster(['catalog', 'config']);
    expect([code, err]).toEqual([0, '']);
    await expectGolden(out, path.join(GOLDEN, 'expected.txt'));
  });

  it('prints the same as JSON, with the operators of every attribute', async () => {
    const { code, out } = await roster(['catalog', 'config', '--format', 'json']);
    expect(code).toBe(0);
    await expectGolden(out, path.join(GOLDEN, 'expected.json'));
    const report = JSON.parse(out);
    const account = report.entities.find((e: { entity: string }) => e.entity === 'account');
    expect(account.attributes.find((a: { name: string }) => a.name === 'tier')).toEqual({
      name: 'tier',
      type: 'string',
      description: 'Sales tier',
      caseInsensitive: false,
      operators: ['eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'matches', 'exists', 'notExists'],
      declaredBy: 'Source/crm',
      filledBy: ['crm/Account: Tier__c'],
    });
  });

  it('still shows the catalog when the configuration has problems, and counts them on stderr', async () => {
    await fs.writeFile(path.join(cwd, 'config', 'broken.yaml'), 'apiVersion: roster/v1\nkind: Segment\n');
    try {
      const { code, out, err } = await roster(['catalog', 'config']);
      expect(code).toBe(0);
      expect(out).toContain('Attribute catalog of config (sandbox dev)');
      expect(err).toBe(
        '2 problems in the configuration (roster validate config lists them); the catalog shows the resources that parsed\n',
      );
    } finally {
      await fs.rm(path.join(cwd, 'config', 'broken.yaml'));
    }
  });

  it('fails on a directory that does not exist', async () => {
    const { code, out } = await roster(['catalog', 'no/such/dir']);
    expect(code).toBe(1);
    expect(out).toContain('CONFIG_READ no/such/dir: no such directory; pass the directory holding your resource files');
  });

  it('documents itself with --help', async () => {
    const { code, out } = await roster(['catalog', '--help']);
    expect(code).toBe(0);
    await expectGolden(out, path.join(GOLDEN, 'help.txt'));
  });
});
