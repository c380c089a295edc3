import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { MAX_DIFF_EDITS } from '../../engine/plan/render-document-diff';
import { captureIo } from '../support/capture-io';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/**
 * A segment near the size bound whose list is rewritten: the line diff of its canonical YAML once
 * took plan over ten minutes. The plan must say the change is too large to show, in about a second.
 */
const sandbox = uniqueSandbox('bigdiff');
let dir: string;
let env: NodeJS.ProcessEnv;

const segment = (first: number) =>
  [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata: { name: lookalikes }',
    'spec:',
    '  subject: person',
    '  where:',
    '    any:',
    `      - { attribute: email, op: in, value: &l [${Array.from({ length: 20_000 }, (_, i) => `p${first + i}@x.example`).join(', ')}] }`,
    ...Array.from({ length: 10 }, () => '      - { attribute: email, op: in, value: *l }'),
    '',
  ].join('\n');

async function roster(args: string[]): Promise<{ code: number; output: string }> {
  const io = captureIo(dir, env);
  const code = await main(args, io);
  return { code, output: `${io.out.join('')}${io.err.join('')}` };
}

beforeAll(async () => {
  env = { DATABASE_URL: await testDatabaseUrl() };
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bigdiff-'));
  await fs.writeFile(path.join(dir, 'lookalikes.yaml'), segment(0));
  const apply = await roster(['apply', '.', '--sandbox', sandbox, '--yes']);
  expect(apply.code, apply.output).toBe(0);
});

afterAll(async () => {
  const pool = await testPool(1);
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('plan of a change too large to show line by line', () => {
  it('says how large it is instead of diffing 220,000 lines', async () => {
    await fs.writeFile(path.join(dir, 'lookalikes.yaml'), segment(5_000));
    const started = Date.now();
    const plan = await roster(['plan', '.', '--sandbox', sandbox, '--no-impact']);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain('~ update Segment/lookalikes (lookalikes.yaml)');
    expect(plan.output).toContain(
      `@@ more than ${MAX_DIFF_EDITS.toLocaleString('en-US')} lines change (220,042 applied, 220,042 desired): too many to show line by line; review the change in the files' own diff @@`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('still shows a small change to the same document line by line', async () => {
    await fs.writeFile(path.join(dir, 'lookalikes.yaml'), segment(0).replace('p19999@', 'q19999@'));
    const plan = await roster(['plan', '.', '--sandbox', sandbox, '--no-impact']);
    expect(plan.output).toMatch(/^\s+- +- p19999@x\.example$/m);
    expect(plan.output).toMatch(/^\s+\+ +- q19999@x\.example$/m);
  });
});
