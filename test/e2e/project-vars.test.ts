import { promises as fs } from 'node:fs';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/**
 * roster.yaml's variables: the same resource files planned for two sandboxes give plans that
 * differ exactly by the values the project file gives each sandbox, whatever the caller's
 * environment holds.
 */
const staging = uniqueSandbox('vs');
const prod = uniqueSandbox('vp');
let pool: Pool;
let dir: string;
let databaseUrl: string;

const PROJECT = `name: vars-test
vars: { country: PT, owner: growth }
sandboxes:
  ${staging}:
    vars: { exportDirectory: /tmp/roster-exports/staging, country: FR }
  ${prod}:
    vars: { exportDirectory: /tmp/roster-exports/prod }
ignore: [data/]
`;

const SEGMENT = `apiVersion: roster/v1
kind: Segment
metadata: { name: local-people, labels: { owner: "{{ vars.owner }}" } }
spec:
  subject: person
  where: { attribute: country, op: eq, value: "{{ vars.country }}" }
`;

const DESTINATION = `apiVersion: roster/v1
kind: Destination
metadata: { name: local-export }
spec:
  type: file
  file: { directory: "{{ vars.exportDirectory }}", format: csv, mode: snapshot }
  segments: [{ segment: local-people }]
`;

beforeAll(async () => {
  pool = await testPool();
  databaseUrl = await testDatabaseUrl();
  dir = await writeConfigDir({
    'roster.yaml': PROJECT,
    ...crmPeopleConfig(),
    'segments/local-people.yaml': SEGMENT,
    'destinations/local-export.yaml': DESTINATION,
  });
});

afterAll(async () => {
  await dropSandboxes(pool, [staging, prod]);
  await pool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

/** `roster plan --format json` run in the project's `segments/` folder, with the caller's environment. */
async function plan(sandbox: string, callerEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const io = captureIo(`${dir}/segments`, { ...callerEnv, DATABASE_URL: databaseUrl });
  const code = await main(['plan', '--sandbox', sandbox, '--format', 'json', '--no-impact'], io);
  expect(code, io.err.join('')).toBe(0);
  return io.out.join('');
}

describe('roster.yaml variables', () => {
  it('make the plans of two sandboxes differ exactly by the values the project file gives them', async () => {
    const stagingPlan = await plan(staging);
    const prodPlan = await plan(prod);
    expect(stagingPlan).toContain('value: FR');
    expect(stagingPlan).toContain('directory: /tmp/roster-exports/staging');
    expect(prodPlan).toContain('value: PT');
    expect(prodPlan).toContain('directory: /tmp/roster-exports/prod');
    // The spec hashes differ as a consequence of the values; everything else must be equal.
    const neutral = (text: string, sandbox: string, country: string, exportDir: string) =>
      text
        .replaceAll(sandbox, 'SANDBOX')
        .replaceAll(`value: ${country}`, 'value: COUNTRY')
        .replaceAll(exportDir, 'EXPORTS')
        .replace(/sha256:[0-9a-f]{64}/g, 'HASH');
    expect(neutral(stagingPlan, staging, 'FR', '/tmp/roster-exports/staging')).toBe(
      neutral(prodPlan, prod, 'PT', '/tmp/roster-exports/prod'),
    );
  });

  it("do not depend on the caller's environment", async () => {
    const quiet = await plan(staging);
    const noisy = await plan(staging, {
      ROSTER_VAR_COUNTRY: 'DE',
      ROSTER_ENV_ALLOW: 'country,exportDirectory',
      country: 'DE',
      exportDirectory: '/elsewhere',
    });
    expect(noisy).toBe(quiet);
  });

  it('reach `roster segment preview FILE` of a file in the project', async () => {
    // Preview reads only (decision 56): the sandbox must exist, so the project is applied first.
    const applyIo = captureIo(dir, { DATABASE_URL: databaseUrl });
    expect(await main(['apply', '--sandbox', staging, '--yes', '--no-evaluate'], applyIo), applyIo.err.join('')).toBe(
      0,
    );
    const io = captureIo(`${dir}/segments`, { DATABASE_URL: databaseUrl });
    const code = await main(['segment', 'preview', 'local-people.yaml', '--sandbox', staging, '--format', 'json'], io);
    expect(code, io.err.join('')).toBe(0);
    expect(JSON.parse(io.out.join('')).segment).toBe('local-people');
  });

  it('refuses a sandbox the project does not declare, pointing at roster.yaml', async () => {
    const io = captureIo(dir, { DATABASE_URL: databaseUrl });
    expect(await main(['validate', '--sandbox', 'qa'], io)).toBe(1);
    expect(io.out.join('')).toBe(
      `CONFIG_PROJECT roster.yaml:3:1 /sandboxes: sandbox "qa" is not declared here; use one of ${staging}, ${prod} (--sandbox NAME), or declare it under sandboxes\n\n1 problem in 1 file; nothing was changed.\n`,
    );
  });
});
