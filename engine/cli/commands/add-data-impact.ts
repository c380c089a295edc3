import type { ResourceGraph } from '../../graph/build-graph';
import { destinationImpacts } from '../../plan/destination-impacts';
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
  for (const { name } of impacted) {
    const checked = config.segments.find((s) => s.resource.name === name)!;
    const { subject, activate } = checked.resource.spec;
    planned.push({ name, subject, where: checked.where, ...(activate ? { activate } : {}) });
  }
  const previews = await previewPlannedSegments(db, plan.sandbox, planned, new Date());
  const segments: SegmentImpact[] = previews.map((preview, i) => ({ ...preview, via: impacted[i]!.via }));
  plan.dataImpact = { segments, destinations: destinationImpacts(config.graph, segments) };
  for (const change of plan.changes) {
    const preview = segments.find((s) => change.kind === 'Segment' && s.segment === change.name);
    if (preview) {
      const { sizeBefore, sizeAfter, entered, exited } = preview;
      change.impact = { sizeBefore, sizeAfter, entered, exited };
    }
  }
}
