import type { ResourceGraph } from '../../graph/build-graph';
import { type BindingChange, bindingChanges, destinationImpacts } from '../../plan/destination-impacts';
import type { Plan, SegmentImpact } from '../../plan/plan';
import { impactedSegments } from '../../plan/segments-to-evaluate';
import type { CheckedSegment } from '../../rules/check-segments';
import type { Queryable } from '../../runtime/queryable';
import { type PlannedSegment, previewPlannedSegments } from '../../segment/preview-planned-segments';

/**
 * The whole data impact of `plan` on current data, read-only: every changed segment and every
 * segment built on one, previewed as the files define them, and the destinations bound to them.
 * Sets `plan.dataImpact`, and each changed segment's `impact`.
 */
export async function addDataImpact(
  plan: Plan,
  config: { graph: ResourceGraph; segments: readonly CheckedSegment[] },
  db: Queryable,
): Promise<void> {
  const impacted = impactedSegments(plan.changes, config.graph);
  const planned: PlannedSegment[] = [];
  for (const { name } of impacted) planned.push(plannedSegment(config.segments.find((s) => s.resource.name === name)!));
  const now = new Date();
  const previews = await previewPlannedSegments(db, plan.sandbox, planned, now);
  const segments: SegmentImpact[] = previews.map((preview, i) => ({ ...preview, via: impacted[i]!.via }));
  const bindings = bindingChanges(plan.changes);
  const current = await currentMembers(db, plan.sandbox, [...bindings.values()], config.segments, now);
  plan.dataImpact = { segments, destinations: destinationImpacts(config.graph, segments, bindings, current) };
  for (const change of plan.changes) {
    const preview = segments.find((s) => change.kind === 'Segment' && s.segment === change.name);
    if (preview) {
      const { sizeBefore, sizeAfter, entered, exited } = preview;
      change.impact = { sizeBefore, sizeAfter, entered, exited };
    }
  }
}

function plannedSegment(checked: CheckedSegment): PlannedSegment {
  const { subject, activate } = checked.resource.spec;
  return { name: checked.resource.name, subject, where: checked.where, ...(activate ? { activate } : {}) };
}

/**
 * The persons each newly bound or unbound segment holds now (its membership; the activated persons
 * of an account audience). A segment no longer in the files (deleted with the binding) counts 0.
 */
async function currentMembers(
  db: Queryable,
  sandbox: string,
  changes: readonly BindingChange[],
  segments: readonly CheckedSegment[],
  now: Date,
): Promise<Map<string, number>> {
  const names = new Set(changes.flatMap((c) => [...c.bound, ...c.unbound]));
  const known = segments.filter((s) => names.has(s.resource.name)).map(plannedSegment);
  const previews = await previewPlannedSegments(db, sandbox, known, now, 0);
  return new Map(previews.map((p) => [p.segment, p.persons?.before ?? p.sizeBefore]));
}
