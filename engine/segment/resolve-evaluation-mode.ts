import type { ConditionNode } from './condition-ast';

export type EvaluationMode = 'batch' | 'streaming';

/** Something in a segment that needs data beyond the person and their events. */
export interface StreamingBlocker {
  pointer: string;
  /** What it reads, e.g. `account.industry (multi-entity)`. */
  reads: string;
}

/** The evaluation mode a segment gets, and why, as `roster validate` and `roster plan` report it. */
export interface EvaluationDecision {
  requested: 'auto' | 'batch' | 'streaming';
  mode: EvaluationMode;
  reason: string;
  /** Why streaming is impossible; empty when it is possible. */
  blockers: StreamingBlocker[];
}

/**
 * Streaming is possible when every condition reads only the person's own attributes, its events and
 * other segments' current membership: those are known in the ingest transaction for one person.
 * Relations (account, opportunities, account-person relations, campaigns, lists) change elsewhere,
 * so segments reading them are evaluated in batch.
 */
export function resolveEvaluationMode(
  subject: 'person' | 'account',
  where: ConditionNode,
  requested: EvaluationDecision['requested'] = 'auto',
): EvaluationDecision {
  const blockers: StreamingBlocker[] =
    subject === 'account'
      ? [{ pointer: '/spec/subject', reads: 'accounts (an account audience)' }]
      : streamingBlockers(where);
  if (requested === 'batch') return { requested, mode: 'batch', reason: 'batch was requested', blockers };
  if (blockers.length === 0) {
    return {
      requested,
      mode: 'streaming',
      reason: "reads only the person's attributes, events and segment memberships",
      blockers,
    };
  }
  const first = blockers[0]!;
  const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more)` : '';
  return { requested, mode: 'batch', reason: `${first.pointer} reads ${first.reads}${more}`, blockers };
}

function streamingBlockers(node: ConditionNode): StreamingBlocker[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap(streamingBlockers);
    case 'not':
      return streamingBlockers(node.child);
    case 'relation':
      return [{ pointer: node.pointer, reads: relationText(node) }];
    case 'compare':
    case 'events':
    case 'segment':
      return [];
    // The person's own records and their identities: written by the same ingest run that touches
    // the person, so the streaming re-evaluation of touched persons sees them.
    case 'fromSource':
    case 'hasIdentity':
      return [];
  }
}

function relationText(node: Extract<ConditionNode, { kind: 'relation' }>): string {
  if (node.dotted && node.where?.kind === 'compare')
    return `${node.relation}.${node.where.attribute.name} (multi-entity)`;
  return `${node.relation} (multi-entity)`;
}
