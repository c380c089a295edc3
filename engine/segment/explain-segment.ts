import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { compileEvidence, compileSegment } from './compile-segment';
import type { ConditionNode } from './condition-ast';
import type { AppliedSegment } from './read-applied-segments';

/** One branch of the condition tree for one subject: did it hold, and which rows made it hold. */
export interface ExplainedNode {
  pointer: string;
  description: string;
  held: boolean;
  /** For relations and events: up to 10 matching rows (account, opportunity, event...). */
  evidence?: string[];
  children: ExplainedNode[];
}

/**
 * Why a subject is (or is not) a member: each branch of the subject's own scope evaluated for that
 * subject alone, with the rows that satisfied relations and events. Read-only.
 */
export async function explainSegment(
  db: Queryable,
  sandbox: string,
  segment: AppliedSegment,
  subjectId: number,
  now: Date,
): Promise<ExplainedNode> {
  const schema = sandboxSchema(sandbox);
  const explain = async (node: ConditionNode): Promise<ExplainedNode> => {
    const compiled = compileSegment(schema, segment.spec.subject, node, now, { scope: [subjectId] });
    const held = (await db.query(compiled.text, compiled.params)).rows.length > 0;
    const evidenceQuery = held ? compileEvidence(schema, segment.spec.subject, node, now, subjectId) : undefined;
    const evidence = evidenceQuery
      ? (await db.query<{ label: string }>(evidenceQuery.text, evidenceQuery.params)).rows.map((r) => r.label)
      : undefined;
    const children =
      node.kind === 'all' || node.kind === 'any'
        ? await Promise.all(node.children.map(explain))
        : node.kind === 'not'
          ? [await explain(node.child)]
          : [];
    return { pointer: node.pointer, description: describe(node), held, children, ...(evidence ? { evidence } : {}) };
  };
  return explain(segment.where);
}

/** A one-line reading of a node, in the words of the resource file. */
function describe(node: ConditionNode): string {
  switch (node.kind) {
    case 'all':
      return `all of ${node.children.length}`;
    case 'any':
      return `any of ${node.children.length}`;
    case 'not':
      return 'not';
    case 'compare':
      return `${node.entity === 'person' || node.entity === 'account' ? '' : `${node.entity}.`}${node.attribute.name} ${node.op}${node.value === undefined ? '' : ` ${JSON.stringify(node.value)}`}`;
    case 'fromSource':
    case 'hasIdentity':
      return `${node.kind} ${node.name}`;
    case 'segment':
      return `${node.negated ? 'notInSegment' : 'inSegment'} ${node.segment}`;
    case 'events':
      return `events ${node.types.join('|')}${node.within ? ` within ${node.within}` : ''}${node.where ? ' where ...' : ''}${countText(node.count)}`;
    case 'relation': {
      const filters = [
        node.role ? `role in ${JSON.stringify(node.role)}` : '',
        node.primary === undefined ? '' : `primary ${node.primary}`,
        node.active === undefined ? '' : `active ${node.active}`,
        node.status ? `status in ${JSON.stringify(node.status)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `${node.relation}${filters ? ` (${filters})` : ''}${node.where ? ' where ...' : ''}${countText(node.count)}`;
    }
  }
}

function countText(count: { eq?: number; gte?: number; lte?: number } | undefined): string {
  if (!count) return '';
  return ` count ${[count.eq !== undefined ? `= ${count.eq}` : '', count.gte !== undefined ? `>= ${count.gte}` : '', count.lte !== undefined ? `<= ${count.lte}` : ''].filter(Boolean).join(' and ')}`;
}
