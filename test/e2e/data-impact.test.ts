import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runApply } from '../../engine/cli/commands/apply-command';
import { captureIo } from '../support/capture-io';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { seedAcmeAudiences } from '../support/seed-acme-audiences';
import { useSandboxes } from '../support/use-sandboxes';

// The whole data impact of a segment change: the segment, the segments built on it, the destinations.
const GOLDEN = path.join(__dirname, '..', 'golden', 'data-impact');
const db = useSandboxes('roster-data-impact-');

/** examples/acme applied to a new sandbox, its audiences seeded and evaluated. */
async function seededAcme(): Promise<{ sandbox: string; cwd: string }> {
  const { sandbox, dir } = await db.create('di');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), path.join(dir, 'acme'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}tests`),
  });
  expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, dir).code).toBe(0);
  await seedAcmeAudiences(db.pool, sandbox);
  expect(roster(['segment', 'run', '--all', '--sandbox', sandbox], db.env, dir).code).toBe(0);
  return { sandbox, cwd: dir };
}

async function edit(cwd: string, file: string, from: string, to: string): Promise<void> {
  const full = path.join(cwd, 'acme', file);
  const text = await fs.readFile(full, 'utf8');
  expect(text).toContain(from);
  await fs.writeFile(full, text.replace(from, to));
}

/** `seededAcme`, then the enterprise revenue threshold lowered from USD 50M to 25M (Hooli enters). */
async function lowerEnterpriseThreshold(): Promise<{ sandbox: string; cwd: string }> {
  const seeded = await seededAcme();
  await edit(seeded.cwd, 'segments/enterprise-accounts.yaml', 'value: 50000000', 'value: 25000000');
  return seeded;
}

async function members(sandbox: string, segment: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from roster_${sandbox}.segment_memberships where segment = $1`,
    [segment],
  );
  return rows[0]!.n;
}

describe('the data impact of a plan', () => {
  it('shows the changed segment, the segment built on it and the destinations, and apply makes it true', async () => {
    const { sandbox, cwd } = await lowerEnterpriseThreshold();
    const md = roster(['plan', 'acme', '--sandbox', sandbox, '--format', 'markdown'], db.env, cwd);
    expect(md.code).toBe(0);
    await expectGolden(md.stdout.replaceAll(sandbox, 'SANDBOX'), path.join(GOLDEN, 'lower-threshold.md'));
    const text = roster(['plan', 'acme', '--sandbox', sandbox], db.env, cwd);
    await expectGolden(text.stdout.replaceAll(sandbox, 'SANDBOX'), path.join(GOLDEN, 'lower-threshold.txt'));
    const json = JSON.parse(roster(['plan', 'acme', '--sandbox', sandbox, '--format', 'json'], db.env, cwd).stdout);
    const after = Object.fromEntries(
      json.dataImpact.segments.map((s: { segment: string; sizeAfter: number }) => [s.segment, s.sizeAfter]),
    );
    expect(after).toEqual({ 'enterprise-accounts': 2, 'engaged-enterprise': 2 });
    expect(json.afterApply).toEqual({ evaluate: true, segments: ['enterprise-accounts', 'engaged-enterprise'] });

    const apply = roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, cwd);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(
      'Evaluated Segment/enterprise-accounts (revision 2): 2 members, 1 entered, 0 exited.',
    );
    expect(apply.stdout).toContain(
      'Evaluated Segment/engaged-enterprise (revision 1): 2 members, 1 entered, 0 exited.',
    );
    expect(await members(sandbox, 'enterprise-accounts')).toBe(after['enterprise-accounts']);
    expect(await members(sandbox, 'engaged-enterprise')).toBe(after['engaged-enterprise']);
  });

  it('leaves members as they were with --no-evaluate, and the plan says so', async () => {
    const { sandbox, cwd } = await lowerEnterpriseThreshold();
    const plan = roster(['plan', 'acme', '--sandbox', sandbox, '--no-evaluate', '--no-impact'], db.env, cwd);
    expect(plan.stdout).toContain(
      'Apply does not evaluate enterprise-accounts, engaged-enterprise (--no-evaluate); their members change at their next evaluation.',
    );
    const apply = roster(['apply', 'acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env, cwd);
    expect(apply.code).toBe(0);
    expect(apply.stdout).not.toContain('Evaluated');
    expect(await members(sandbox, 'enterprise-accounts')).toBe(1);
    expect(await members(sandbox, 'engaged-enterprise')).toBe(1);
  });

  it('counts what a destination is sent when it starts or stops activating a segment', async () => {
    const { sandbox, cwd } = await seededAcme();
    await edit(
      cwd,
      'destinations/sales-alerts.yaml',
      '- segment: engaged-enterprise',
      '- segment: enterprise-accounts',
    );
    const json = JSON.parse(roster(['plan', 'acme', '--sandbox', sandbox, '--format', 'json'], db.env, cwd).stdout);
    expect(json.dataImpact).toEqual({
      segments: [],
      destinations: [
        {
          destination: 'sales-alerts',
          segments: ['enterprise-accounts (newly bound)', 'engaged-enterprise (unbound)'],
          adds: 1,
          removes: 1,
        },
      ],
    });
  });

  it('evaluates nothing and promises nothing for callers that evaluate on their own (the demo)', async () => {
    const { sandbox } = await db.create('di');
    const io = captureIo(ROOT, db.env);
    const options = { dir: 'examples/acme', sandbox, yes: true, lockTimeoutMs: 60_000, format: 'text' as const };
    expect(await runApply(options, io)).toBe(0);
    expect(io.out.join('')).toContain('Apply complete: 14 created');
    expect(io.out.join('')).not.toMatch(/Apply then evaluates|Apply does not evaluate|Evaluated Segment/);
    const { rows } = await db.pool.query(`select count(*)::int as n from roster_${sandbox}.segment_runs`);
    expect(rows[0].n).toBe(0);
  });
});
