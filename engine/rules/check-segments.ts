import type { AttributeCatalog } from '../catalog/attribute-catalog';
import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { Resource, SegmentResourceItem } from '../config/resource';
import type { ConditionNode } from '../segment/condition-ast';
import { parseCondition } from '../segment/parse-condition';
import { type EvaluationDecision, resolveEvaluationMode } from '../segment/resolve-evaluation-mode';
import { declaredNamespaces, identityReferenceProblems } from './check-provenance-references';
import { cronProblem } from './check-schedule';

/** A segment whose condition tree passed the catalog checks. */
export interface CheckedSegment {
  resource: SegmentResourceItem;
  where: ConditionNode;
  evaluation: EvaluationDecision;
}

/**
 * Checks every segment's conditions against the catalog, its references' subjects, its schedule,
 * and whether the evaluation it asks for is possible (streaming needs person-only conditions).
 */
export function checkSegments(
  resources: readonly Resource[],
  catalog: AttributeCatalog,
): { segments: CheckedSegment[]; problems: Problem[] } {
  const all = resources.filter((r): r is SegmentResourceItem => r.kind === 'Segment');
  const subjects = new Map(all.map((s) => [s.name, s.spec.subject]));
  const problems: Problem[] = [];
  const segments: CheckedSegment[] = [];
  const namespaces = declaredNamespaces(resources);
  for (const segment of all) {
    const { spec } = segment;
    const parsed = parseCondition(spec.where, spec.subject, '/spec/where', catalog);
    problems.push(...parsed.findings.map((f) => problemAt(segment, f.pointer, f.code, f.message)));
    const scheduleProblem = spec.schedule === undefined ? undefined : cronProblem(spec.schedule);
    if (scheduleProblem) problems.push(problemAt(segment, '/spec/schedule', 'CONFIG_CRON', scheduleProblem));
    if (spec.activate && spec.subject !== 'account') {
      problems.push(
        problemAt(
          segment,
          '/spec/activate',
          'CONFIG_SUBJECT',
          '"activate" applies to account audiences only; remove it or set subject: account',
        ),
      );
    }
    if (!parsed.node) continue;
    problems.push(...subjectProblems(segment, parsed.node, subjects));
    problems.push(...identityReferenceProblems(segment, parsed.node, namespaces));
    const evaluation = resolveEvaluationMode(spec.subject, parsed.node, spec.evaluation);
    if (spec.evaluation === 'streaming' && evaluation.blockers.length > 0)
      problems.push(streamingProblem(segment, evaluation));
    segments.push({ resource: segment, where: parsed.node, evaluation });
  }
  return { segments, problems };
}

function streamingProblem(segment: SegmentResourceItem, evaluation: EvaluationDecision): Problem {
  const first = evaluation.blockers[0]!;
  const what =
    first.pointer === '/spec/subject'
      ? `the subject is ${first.reads}`
      : `condition ${first.pointer} reads ${first.reads}`;
  const message = `streaming is not possible: ${what}; split it into a batch segment for the multi-entity part and reference it with \`inSegment\` from a streaming segment that keeps only person attributes and events`;
  return problemAt(segment, '/spec/evaluation', 'CONFIG_STREAMING', message);
}

/** `inSegment` must name a segment of the same subject as the scope it appears in. */
function subjectProblems(
  segment: SegmentResourceItem,
  node: ConditionNode,
  subjects: ReadonlyMap<string, string>,
): Problem[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap((child) => subjectProblems(segment, child, subjects));
    case 'not':
      return subjectProblems(segment, node.child, subjects);
    case 'relation':
    case 'events':
      return node.where ? subjectProblems(segment, node.where, subjects) : [];
    case 'segment': {
      const subject = subjects.get(node.segment);
      if (subject === undefined || subject === node.subject) return [];
      const message = `Segment/${node.segment} selects ${subject}s but is used where ${node.subject}s are compared; reference ${node.subject === 'account' ? 'an' : 'a'} ${node.subject} segment, or move the reference under "${node.subject === 'person' ? 'account' : 'persons'}"`;
      return [problemAt(segment, node.pointer, 'CONFIG_SUBJECT', message)];
    }
    case 'compare':
    case 'fromSource':
    case 'hasIdentity':
      return [];
  }
}
