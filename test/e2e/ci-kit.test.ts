import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';
import { expectGolden } from '../support/golden';

// `roster init --ci github|gitlab` writes the pipeline the README's GitOps section describes.
const GOLDEN = path.join(__dirname, '..', 'golden', 'ci-kit');
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-ci-kit-'));
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('roster init --ci', () => {
  it('writes a new project with the GitHub workflow, which validate does not read as a resource', async () => {
    const io = captureIo(work);
    expect(await main(['init', 'audiences', '--ci', 'github', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out.join(''));
    expect(report.written).toContain('roster.yaml');
    expect(report.written.at(-1)).toBe('.github/workflows/roster.yml');
    const workflow = await fs.readFile(path.join(work, 'audiences', '.github', 'workflows', 'roster.yml'), 'utf8');
    await expectGolden(workflow, path.join(GOLDEN, 'github', 'roster.yml'));
    const parsed = parse(workflow) as { jobs: Record<string, { environment?: string; steps: { run?: string }[] }> };
    expect(Object.keys(parsed.jobs)).toEqual(['plan', 'apply', 'promote']);
    const runs = (job: string) => parsed.jobs[job]!.steps.flatMap((step) => (step.run ? [step.run] : []));
    expect(runs('plan')).toEqual([
      'npm ci',
      'npx roster validate',
      'npx roster test --format junit --output roster-tests.xml',
      'npx roster plan --sandbox dev --format markdown --out plan.json > plan.md',
    ]);
    expect(runs('apply').at(-1)).toBe('npx roster apply plan.json');
    expect(parsed.jobs.promote!.environment).toBe('prod');
    const validate = captureIo(path.join(work, 'audiences'));
    expect(await main(['validate'], validate)).toBe(0);
    expect(validate.out.join('')).toContain('4 resources in 4 files are valid (sandbox dev)');
  });

  it('adds only the GitLab pipeline to an existing project, and never overwrites it', async () => {
    const dir = path.join(work, 'existing');
    expect(await main(['init', dir], captureIo(work))).toBe(0);
    const io = captureIo(dir);
    expect(await main(['init', '--ci', 'gitlab'], io)).toBe(0);
    expect(io.out.join('')).toBe(
      [
        'Created the Roster project existing in .:',
        '  .gitlab-ci.yml',
        '  .gitlab/roster-merge-request.mjs',
        '',
        '.gitlab-ci.yml runs validate, test and plan on merge requests, apply and promotion on merge: set the secrets listed at its top.',
        '',
        'Next:',
        '  npm install',
        '  npx roster validate',
        '  npx roster plan',
        '',
      ].join('\n'),
    );
    await expectGolden(
      await fs.readFile(path.join(dir, '.gitlab-ci.yml'), 'utf8'),
      path.join(GOLDEN, 'gitlab', 'gitlab-ci.yml'),
    );
    await expectGolden(
      await fs.readFile(path.join(dir, '.gitlab', 'roster-merge-request.mjs'), 'utf8'),
      path.join(GOLDEN, 'gitlab', 'roster-merge-request.mjs'),
    );
    const again = captureIo(dir);
    expect(await main(['init', '--ci', 'gitlab'], again)).toBe(1);
    expect(again.err.join('')).toBe(
      'INIT_EXISTS .gitlab-ci.yml, .gitlab/roster-merge-request.mjs already exist; nothing was written (roster init never overwrites; move them away or pick another directory)\n',
    );
  });

  it('refuses an unknown platform as a usage error', async () => {
    const io = captureIo(work);
    expect(await main(['init', 'elsewhere', '--ci', 'jenkins'], io)).toBe(2);
    expect(io.err.join('')).toContain(
      "option '--ci <platform>' argument 'jenkins' is invalid. Allowed choices are github, gitlab.",
    );
  });
});
