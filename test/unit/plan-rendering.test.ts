import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/load-config';
import { buildGraph, type ResourceGraph } from '../../engine/graph/build-graph';
import { appliedInputs, buildPlan } from '../../engine/plan/build-plan';
import { diffResourceInputs } from '../../engine/plan/diff-inputs';
import { keepPulumiManaged } from '../../engine/plan/keep-pulumi-managed';
import type { Plan } from '../../engine/plan/plan';
import { renderPlanJson } from '../../engine/plan/render-plan-json';
import { renderPlanMarkdown } from '../../engine/plan/render-plan-markdown';
import { COLOURS, renderPlanText } from '../../engine/plan/render-plan-text';
import { toResourceInputs } from '../../engine/plan/resource-document';
import type { AppliedResource } from '../../engine/runtime/registry/applied-resource';
import { expectGolden } from '../support/golden';

const ACME = path.join(__dirname, '..', '..', 'examples', 'acme');
const GOLDEN = path.join(__dirname, '..', 'golden', 'plan');
const context = { sandbox: 'prod', managedBy: 'roster' as const };

/**
 * A registry state that differs from examples/acme in known ways: one segment's threshold, one
 * segment's subject (a replace), one resource no longer in the files, and the rest identical.
 */
let plan: Plan;
let graph: ResourceGraph;
let applied: AppliedResource[];
beforeAll(async () => {
  const loaded = await loadConfig({ root: ACME, displayRoot: 'examples/acme', sandbox: 'prod', environment: {} });
  graph = buildGraph(loaded.resources).graph;
  applied = [...graph.resources.values()].map((resource) => {
    const inputs = toResourceInputs(resource, context);
    const document = structuredClone(inputs.document);
    if (resource.name === 'buying-committee') (document.spec as { schedule: string }).schedule = '0 */2 * * *';
    if (resource.name === 'email-engaged-30d') (document.spec as { subject: string }).subject = 'account';
    return {
      kind: resource.kind,
      name: resource.name,
      revision: 3,
      specHash: 'sha256:old',
      document,
      sourceFile: inputs.sourceFile,
      managedBy: 'roster',
      appliedAt: '2026-11-01T00:00:00.000Z',
      appliedBy: 'ci@build',
      gitCommit: null,
      configRoot: null,
    };
  });
  const retired = applied.find((r) => r.name === 'dormant-leads')!;
  applied.push({
    ...retired,
    name: 'retired-leads',
    document: { ...retired.document, metadata: { ...retired.document.metadata, name: 'retired-leads' } },
    sourceFile: 'segments/retired-leads.yaml',
  });
  plan = buildPlan(graph, applied, context, [
    {
      applyId: '7d3c0c1e-0000-4000-8000-000000000001',
      startedAt: '2026-11-27T09:00:00Z',
      appliedBy: 'ci@build',
      pending: [{ action: 'update', key: 'Segment/hot-leads' }],
    },
  ]);
});

describe('plan rendering (golden files a reviewer reads)', () => {
  it('plans one update with its diff, one replace with its reason, one delete, and counts the rest unchanged', () => {
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'update Segment/buying-committee',
      'replace Segment/email-engaged-30d',
      'delete Segment/retired-leads',
    ]);
    expect(plan.changes[1]!.replaceReason).toBe(
      'spec.subject changed from account to person, which cannot change in place',
    );
    expect(plan.unchanged).toHaveLength(12);
  });

  it('renders text', async () => expectGolden(renderPlanText(plan), path.join(GOLDEN, 'plan.txt')));
  it('renders markdown for pull requests', async () =>
    expectGolden(renderPlanMarkdown(plan), path.join(GOLDEN, 'plan.md')));
  it('renders json for pipelines', async () => expectGolden(renderPlanJson(plan), path.join(GOLDEN, 'plan.json')));

  it('colours text only when asked (a terminal without NO_COLOR)', () => {
    expect(renderPlanText(plan)).not.toContain('\u001b[');
    expect(renderPlanText(plan, COLOURS)).toContain('\u001b[33m~ update Segment/buying-committee');
  });
});

describe('resources managed by Pulumi in a plan', () => {
  /** The same registry, with the updated segment and the one no longer in the files applied by `pulumi up`. */
  const pulumiPlan = (allowDelete: boolean) => {
    const rows = applied.map((row) =>
      ['buying-committee', 'retired-leads'].includes(row.name) ? { ...row, managedBy: 'pulumi' as const } : row,
    );
    return keepPulumiManaged(buildPlan(graph, rows, context), allowDelete);
  };

  it('keeps the deleted one, marks the updated one, in text and markdown', async () => {
    const kept = pulumiPlan(false);
    expect(kept.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'update Segment/buying-committee',
      'replace Segment/email-engaged-30d',
    ]);
    expect(kept.keptPulumiManaged).toEqual([
      { key: 'Segment/retired-leads', sourceFile: 'segments/retired-leads.yaml' },
    ]);
    await expectGolden(renderPlanText(kept), path.join(GOLDEN, 'pulumi-managed.txt'));
    await expectGolden(renderPlanMarkdown(kept), path.join(GOLDEN, 'pulumi-managed.md'));
  });

  it('deletes it when allowed, saying whose it is', () => {
    const allowed = pulumiPlan(true);
    expect(allowed.keptPulumiManaged).toBeUndefined();
    expect(renderPlanText(allowed)).toContain(
      '- delete Segment/retired-leads (segments/retired-leads.yaml) [managed by Pulumi]\n',
    );
  });
});

describe('diffResourceInputs', () => {
  it('ignores who applied and from where; compares documents regardless of key order', async () => {
    const loaded = await loadConfig({ root: ACME, sandbox: 'prod', environment: {} });
    const inputs = toResourceInputs(loaded.resources[0]!, context);
    const row = {
      ...inputs,
      revision: 1,
      appliedAt: '',
      appliedBy: 'x',
      gitCommit: 'abc',
      sourceFile: 'moved.yaml',
      managedBy: 'pulumi',
    } as unknown as AppliedResource;
    expect(diffResourceInputs(appliedInputs(row, 'prod'), inputs)).toEqual({ changes: false, replaces: [] });
  });
});
