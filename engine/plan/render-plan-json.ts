import { type Plan, summarizePlan } from './plan';

/**
 * The plan for pipelines (`--format json`), documented in docs/cli.md. `formatVersion` changes
 * only when a field changes meaning or disappears.
 */
export function renderPlanJson(plan: Plan): string {
  const document = {
    formatVersion: 1,
    sandbox: plan.sandbox,
    summary: summarizePlan(plan),
    changes: plan.changes.map((c) => ({
      action: c.action,
      kind: c.kind,
      name: c.name,
      sourceFile: c.after?.sourceFile ?? c.before?.sourceFile ?? null,
      managedByBefore: c.before?.managedBy ?? null,
      specHashBefore: c.before?.specHash ?? null,
      specHashAfter: c.after?.specHash ?? null,
      replaceReason: c.replaceReason ?? null,
      impact: c.impact ?? null,
      diff: c.diff,
    })),
    unchanged: plan.unchanged,
    interrupted: plan.interrupted,
    keptPulumiManaged: plan.keptPulumiManaged ?? [],
    database: plan.database
      ? {
          sandboxExists: plan.database.sandboxExists,
          pendingMigrations: plan.database.pendingMigrations,
          impactSkipped: plan.database.impactSkipped ?? null,
        }
      : null,
    afterApply: plan.afterApply ?? null,
    dataImpact: plan.dataImpact ?? null,
    drift: plan.drift ?? null,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
