import type { SegmentSpec } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import type { Queryable } from '../runtime/queryable';
import {
  type AppliedDestination,
  type AppliedSegmentSpec,
  readAppliedConfig,
} from '../runtime/registry/read-applied-config';
import type { ConditionNode } from './condition-ast';
import { parseCondition } from './parse-condition';
import { type EvaluationDecision, resolveEvaluationMode } from './resolve-evaluation-mode';
import { SegmentEvaluationError } from './segment-evaluation-error';

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
  const destinations = [...config.destinations.values()];
  return dependencyOrder(
    [...config.segments.values()].map((segment) => toAppliedSegment(segment, config.catalog, destinations)),
  );
}

/** Checks one applied segment against the sandbox's catalog and finds the destinations that activate it. */
export function toAppliedSegment(
  segment: AppliedSegmentSpec,
  catalog: AttributeCatalog,
  destinations: readonly AppliedDestination[],
): AppliedSegment {
  const { name, revision, spec } = segment;
  const { node } = parseCondition(spec.where, spec.subject, '/spec/where', catalog);
  if (!node)
    throw new SegmentEvaluationError(
      `Segment/${name} revision ${revision} no longer checks against the attribute catalog (a custom field it reads was removed); fix it and run roster apply`,
    );
  return {
    name,
    revision,
    spec,
    where: node,
    evaluation: resolveEvaluationMode(spec.subject, node, spec.evaluation),
    destinations: destinations
      .filter((d) => d.spec.segments.some((binding) => binding.segment === name))
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

/** Segments ordered so that each comes after those it references among them (by name otherwise). */
export function dependencyOrder(segments: readonly AppliedSegment[]): AppliedSegment[] {
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
