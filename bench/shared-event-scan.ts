import type { Pool } from 'pg';
import { withTransaction } from '../engine/runtime/with-transaction';
import { compileSegment } from '../engine/segment/compile-segment';
import type { ConditionNode, EventNode } from '../engine/segment/condition-ast';
import type { AppliedSegment } from '../engine/segment/read-applied-segments';
import { durationToInterval } from '../engine/segment/sql-builder';
import { timed } from './measure';

/** What one shared scan of events would cost against one scan per event condition. */
export interface SharedEventScan {
  /** Event conditions measured (those with a window and no event attribute filter). */
  conditions: number;
  /** Distinct (types, window) counts the shared scan computes. */
  columns: number;
  /** Sum of each condition evaluated alone, as its segment's statement evaluates it today. */
  separateSeconds: number;
  /** The one aggregate over events computing every count, into a temporary table. */
  sharedScanSeconds: number;
  /** Sum of each condition read back from that table. */
  sharedReadSeconds: number;
}

function eventNodes(node: ConditionNode): EventNode[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap(eventNodes);
    case 'not':
      return eventNodes(node.child);
    case 'relation':
      return node.where ? eventNodes(node.where) : [];
    case 'events':
      return node.where === undefined && node.within !== undefined ? [node] : [];
    default:
      return [];
  }
}

const keyOf = (node: EventNode) => `${[...node.types].sort().join('|')}/${node.within}`;

/**
 * A measured prototype of sharing work across segments: every person-level event condition of the
 * cycle evaluated (1) alone, one statement each, as the compiled segments evaluate them today,
 * and (2) from ONE aggregate over the events of the widest window that counts, per person, the
 * events of every distinct (types, window), then a read of that table per condition.
 */
export async function measureSharedEventScan(
  pool: Pool,
  schema: string,
  segments: readonly AppliedSegment[],
  now: Date,
): Promise<SharedEventScan> {
  const nodes = segments.filter((s) => s.spec.subject === 'person').flatMap((s) => eventNodes(s.where));
  const columns = [...new Map(nodes.map((n) => [keyOf(n), n])).values()];
  let separateSeconds = 0;
  for (const node of nodes) {
    const compiled = compileSegment(schema, 'person', node, now);
    separateSeconds += await timedQuery(pool, `select count(*) from (${compiled.text}) n`, compiled.params);
  }
  const at = now.toISOString();
  const counts = columns.map(
    (n, i) =>
      `count(*) filter (where type = any('${pgArray(n.types)}'::text[]) and occurred_at >= '${at}'::timestamptz - '${durationToInterval(n.within!)}'::interval) as c${i}`,
  );
  const widest = `greatest(${columns.map((n) => `'${durationToInterval(n.within!)}'::interval`).join(', ')})`;
  const types = pgArray([...new Set(nodes.flatMap((n) => n.types))]);
  return withTransaction(pool, async (client) => {
    await client.query("set local work_mem = '64MB'");
    const [, sharedScanSeconds] = await timed(() =>
      client.query(
        `create temp table shared_event_counts on commit drop as
         select person_id, ${counts.join(', ')} from ${schema}.events
         where type = any('${types}'::text[]) and occurred_at between '${at}'::timestamptz - ${widest} and '${at}'::timestamptz
         group by person_id`,
      ),
    );
    let sharedReadSeconds = 0;
    for (const node of nodes) {
      const column = `c${columns.findIndex((c) => keyOf(c) === keyOf(node))}`;
      const test = countTest(column, node);
      sharedReadSeconds += (
        await timed(() => client.query(`select count(*) from shared_event_counts where ${test}`))
      )[1];
    }
    return { conditions: nodes.length, columns: columns.length, separateSeconds, sharedScanSeconds, sharedReadSeconds };
  });
}

/** The node's count filter on `column` (at least one when it has none). Bench-generated values only. */
function countTest(column: string, node: EventNode): string {
  const count = node.count ?? { gte: 1 };
  const tests = [
    ...(count.gte !== undefined ? [`${column} >= ${count.gte}`] : []),
    ...(count.lte !== undefined ? [`${column} <= ${count.lte}`] : []),
    ...(count.eq !== undefined ? [`${column} = ${count.eq}`] : []),
  ];
  return tests.length > 0 ? tests.join(' and ') : `${column} >= 1`;
}

/** A text[] literal of bench-generated event types (no quotes or braces in them). */
function pgArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}

async function timedQuery(pool: Pool, text: string, params: unknown[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    await client.query("set local time zone 'UTC'");
    await client.query("set local work_mem = '64MB'");
    return (await timed(() => client.query(text, params)))[1];
  });
}

export function describeSharedEventScan(scan: SharedEventScan): string {
  const shared = scan.sharedScanSeconds + scan.sharedReadSeconds;
  return (
    `shared event scan prototype: ${scan.conditions} event conditions (${scan.columns} distinct type/window counts) ` +
    `evaluated one statement each ${scan.separateSeconds.toFixed(2)} s; one aggregate over events ${scan.sharedScanSeconds.toFixed(2)} s ` +
    `+ ${scan.conditions} reads of it ${scan.sharedReadSeconds.toFixed(2)} s = ${shared.toFixed(2)} s (${(scan.separateSeconds / shared).toFixed(1)}x less)`
  );
}
