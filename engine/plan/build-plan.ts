import type { ResourceKey } from '../config/resource';
import { resourceKey } from '../config/resource';
import type { ResourceGraph } from '../graph/build-graph';
import { type KindAndSpec, resourceReferences } from '../graph/resource-references';
import type { AppliedResource } from '../runtime/registry/applied-resource';
import { diffResourceInputs, type InputsDiff } from './diff-inputs';
import type { InterruptedApply, Plan, PlannedChange } from './plan';
import { renderDocumentDiff } from './render-document-diff';
import { type InputContext, type ResourceInputs, toResourceInputs } from './resource-document';

/** Applied registry rows as provider inputs (what a provider's `diff` receives as `olds`). */
export function appliedInputs(row: AppliedResource, sandbox: string): ResourceInputs {
  return {
    sandbox,
    kind: row.kind,
    name: row.name,
    document: row.document,
    specHash: row.specHash,
    sourceFile: row.sourceFile ?? '',
    managedBy: row.managedBy,
    ...(row.gitCommit ? { gitCommit: row.gitCommit } : {}),
    ...(row.configRoot ? { configRoot: row.configRoot } : {}),
  };
}

/**
 * Pure: what applying `desired` over `applied` would do. `diff` is the providers' diff, so the plan
 * says exactly what the providers will do. Deletes come last, in reverse dependency order of the
 * applied resources (a destination goes before the segment it activates).
 */
export function buildPlan(
  desired: ResourceGraph,
  applied: readonly AppliedResource[],
  context: InputContext,
  interrupted: InterruptedApply[] = [],
  diff: (olds: ResourceInputs, news: ResourceInputs) => InputsDiff = diffResourceInputs,
): Plan {
  const appliedByKey = new Map(applied.map((row) => [resourceKey(row.kind, row.name), row]));
  const changes: PlannedChange[] = [];
  const unchanged: ResourceKey[] = [];
  for (const key of desired.order) {
    const after = toResourceInputs(desired.resources.get(key)!, context);
    const row = appliedByKey.get(key);
    if (!row) {
      changes.push({
        action: 'create',
        key,
        kind: after.kind,
        name: after.name,
        after,
        diff: renderDocumentDiff(undefined, after.document),
      });
      continue;
    }
    const before = appliedInputs(row, context.sandbox);
    const result = diff(before, after);
    if (!result.changes) unchanged.push(key);
    else changes.push(changeOf(key, before, after, result));
  }
  for (const key of deletionOrder(applied, desired)) {
    const before = appliedInputs(appliedByKey.get(key)!, context.sandbox);
    changes.push({
      action: 'delete',
      key,
      kind: before.kind,
      name: before.name,
      before,
      diff: renderDocumentDiff(before.document, undefined),
    });
  }
  return { sandbox: context.sandbox, changes, unchanged, interrupted };
}

function changeOf(key: ResourceKey, before: ResourceInputs, after: ResourceInputs, result: InputsDiff): PlannedChange {
  const documentDiff = renderDocumentDiff(before.document, after.document);
  const diffText = result.note ? `@@ ${result.note} @@${documentDiff ? `\n${documentDiff}` : ''}` : documentDiff;
  if (result.replaces.length === 0)
    return { action: 'update', key, kind: after.kind, name: after.name, before, after, diff: diffText };
  return {
    action: 'replace',
    key,
    kind: after.kind,
    name: after.name,
    before,
    after,
    replaceReason: result.replaceReason ?? 'an immutable field changed',
    diff: diffText,
  };
}

/** Applied keys that are no longer desired, dependents first. */
function deletionOrder(applied: readonly AppliedResource[], desired: ResourceGraph): ResourceKey[] {
  const gone = applied.filter((row) => !desired.resources.has(resourceKey(row.kind, row.name)));
  const keys = new Set(gone.map((row) => resourceKey(row.kind, row.name)));
  const dependents = new Map<ResourceKey, ResourceKey[]>();
  for (const row of gone) {
    const references = resourceReferences({ kind: row.kind, spec: row.document.spec } as KindAndSpec);
    for (const ref of references) {
      const target = resourceKey(ref.kind, ref.name);
      if (keys.has(target))
        dependents.set(target, [...(dependents.get(target) ?? []), resourceKey(row.kind, row.name)]);
    }
  }
  const rank: Record<string, number> = { Destination: 0, Segment: 1, IdentityMapping: 2, Source: 3 };
  const sorted = [...keys].sort((a, b) => rank[a.split('/')[0]!]! - rank[b.split('/')[0]!]! || (a < b ? -1 : 1));
  const order: ResourceKey[] = [];
  const visit = (key: ResourceKey, path: Set<ResourceKey>) => {
    if (order.includes(key) || path.has(key)) return; // a cycle among applied resources: order is arbitrary
    path.add(key);
    for (const dependent of dependents.get(key) ?? []) visit(dependent, path);
    order.push(key);
  };
  for (const key of sorted) visit(key, new Set());
  return order;
}
