import type { SegmentSpec } from '../../schemas/generated/resource-types';
import type { Queryable } from '../runtime/queryable';
import type { AppliedResource } from '../runtime/registry/applied-resource';
import { type AppliedConfig, readAppliedConfig } from '../runtime/registry/read-applied-config';
import type { ConditionNode } from './condition-ast';
import { SegmentEvaluationError } from './evaluate-segment';
import { parseCondition } from './parse-condition';
import { type EvaluationDecision, resolveEvaluationMode } from './resolve-evaluation-mode';

/** A segment as evaluation sees it: the applied revision, its checked condition tree, and where it activates. */
export interface AppliedSegment {
  name: string;
  revision: number;
  spec: SegmentSpec;
  where: ConditionNode;
  evaluation: EvaluationDecision;
  /** Destinations that activate it. */
  destinations: string[];
  /** Segments it references (`inSegment` / `notInSegment`). */
  dependsOn: string[];
}

/** Every applied segment in dependency order (a segment after the ones it references). */
export async function readAppliedSegments(db: Queryable, sandbox: string): Promise<AppliedSegment[]> {
  const config = await readAppliedConfig(db, sandbox);
  return dependencyOrder(
    config.resources.filter((r) => r.kind === 'Segment').map((row) => toAppliedSegment(row, config)),
  );
}

/** Checks one applied Segment row against the sandbox's catalog and finds the destinations that activate it. */
export function toAppliedSegment(row: AppliedResource, config: AppliedConfig): AppliedSegment {
  const spec = row.document.spec as unknown as SegmentSpec;
  const { node } = parseCondition(spec.where, spec.subject, '/spec/where', config.catalog);
  if (!node)
    throw new SegmentEvaluationError(
      `Segment/${row.name} revision ${row.revision} no longer checks against the attribute catalog (a custom field it reads was removed); fix it and run roster apply`,
    );
  return {
    name: row.name,
    revision: row.revision,
    spec,
    where: node,
    evaluation: resolveEvaluationMode(spec.subject, node, spec.evaluation),
    destinations: config.resources
      .filter(
        (d) =>
          d.kind === 'Destination' &&
          (d.document.spec as { segments: { segment: string }[] }).segments.some((b) => b.segment === row.name),
      )
      .map((d) => d.name),
    dependsOn: segmentReferences(node),
  };
}

/** The segments a condition references (`inSegment` / `notInSegment`), anywhere in it. */
export function segmentReferences(node: ConditionNode): string[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap(segmentReferences);
    case 'not':
      return segmentReferences(node.child);
    case 'relation':
    case 'events':
      return node.where ? segmentReferences(node.where) : [];
    case 'segment':
      return [node.segment];
    case 'compare':
    case 'fromSource':
    case 'hasIdentity':
      return [];
  }
}

function dependencyOrder(segments: AppliedSegment[]): AppliedSegment[] {
  const byName = new Map(segments.map((s) => [s.name, s]));
  const ordered: AppliedSegment[] = [];
  const visit = (segment: AppliedSegment, path: Set<string>) => {
    if (ordered.includes(segment) || path.has(segment.name)) return; // cycles were refused at validation
    path.add(segment.name);
    for (const dep of segment.dependsOn) {
      const target = byName.get(dep);
      if (target) visit(target, path);
    }
    ordered.push(segment);
  };
  for (const segment of [...segments].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(segment, new Set());
  return ordered;
}
