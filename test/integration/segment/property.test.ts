import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AttributeCatalog } from '../../../engine/catalog/attribute-catalog';
import { readAppliedConfig } from '../../../engine/runtime/registry/read-applied-config';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { buildSharedEventCounts, dropSharedEventCounts } from '../../../engine/segment/build-shared-event-counts';
import { compileSegment } from '../../../engine/segment/compile-segment';
import { evaluateSegmentCycle } from '../../../engine/segment/evaluate-segment-cycle';
import { parseCondition } from '../../../engine/segment/parse-condition';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import { eventConditions, type SharedEventCounts } from '../../../engine/segment/shared-event-counts';
import { testDatabaseUrl } from '../../support/test-database';
import { type RandomTree, randomTrees } from '../../unit/segment/random-condition';
import { type Dataset, generateDataset, PROPERTY_SEED } from '../../unit/segment/random-dataset';
import { ReferenceEvaluator } from '../../unit/segment/reference-evaluator';
import {
  type CrmData,
  type Row,
  rosterOk,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from './segment-sandbox';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const TREES = 1000;
const FULL_PATH_TREES = 40;

const workspace = useSegmentWorkspace();
const data = generateDataset(PROPERTY_SEED, NOW);
const trees = randomTrees(PROPERTY_SEED, data, NOW, TREES);
const reference = new ReferenceEvaluator(data, NOW);
let sandbox: string;
let dir: string;
let queries: Pool;
let catalog: AttributeCatalog;
/** Database id -> source key, per subject. */
const keyOf = { person: new Map<number, string>(), account: new Map<number, string>() };

/** The data set as the `crm` source's CSV rows (times as ISO 8601, links as keys). */
function toCrmData(d: Dataset): CrmData {
  const rows = (items: readonly object[], times: string[] = []): Row[] =>
    items.map((item) => {
      const { key, ...rest } = item as Record<string, Row[string]> & { key: string };
      for (const t of times) if (typeof rest[t] === 'number') rest[t] = new Date(rest[t] as number).toISOString();
      return { id: key, ...rest };
    });
  return {
    accounts: rows(d.accounts, ['createdAt']),
    persons: rows(d.persons, ['createdAt']),
    opportunities: rows(d.opportunities),
    roles: rows(d.roles),
    relations: rows(d.relations),
    campaigns: rows(d.campaigns),
    campaignMembers: rows(d.campaignMembers),
    lists: rows(d.lists),
    listMembers: rows(d.listMembers, ['addedAt']),
    events: rows(d.events, ['occurredAt']),
  };
}

beforeAll(async () => {
  ({ sandbox, dir } = await workspace.newSandbox('segprop'));
  await writeConfig(dir, {});
  await writeCrmData(dir, toCrmData(data));
  await workspace.applyAndLoad(dir, sandbox);
  queries = new Pool({ connectionString: await testDatabaseUrl(), max: 8 });
  catalog = (await readAppliedConfig(workspace.pool, sandbox)).catalog;
  for (const subject of ['person', 'account'] as const) {
    const { rows } = await workspace.pool.query<{ id: string; key: string }>(
      `select id, split_part(canonical_key, '/', 3) as key from roster_${sandbox}.${subject}s`,
    );
    for (const row of rows) keyOf[subject].set(Number(row.id), row.key);
  }
}, 120_000);

afterAll(async () => {
  await queries?.end();
});

function checked(tree: RandomTree) {
  const { node, findings } = parseCondition(tree.where, tree.subject, '/spec/where', catalog);
  if (!node) throw new Error(`the tree does not check: ${JSON.stringify(findings)}`);
  return node;
}

/**
 * Roster's members of `tree` at NOW: checked, compiled and run as one statement; with `shared`, on
 * the client whose session holds those event counts, reading them.
 */
async function rosterMembers(
  tree: RandomTree,
  on: { db: Pick<Pool, 'query'>; sharedEvents?: SharedEventCounts } = { db: queries },
): Promise<{ members: string[]; sql: string }> {
  const compiled = compileSegment(sandboxSchema(sandbox), tree.subject, checked(tree), NOW, {
    sharedEvents: on.sharedEvents,
  });
  const { rows } = await on.db.query<{ subject_id: string }>(compiled.text, compiled.params);
  const members = rows.map((r) => keyOf[tree.subject].get(Number(r.subject_id)) ?? `?${r.subject_id}`).sort();
  return { members, sql: `${compiled.text}\n-- ${JSON.stringify(compiled.params)}` };
}

function describeMismatch(index: number, tree: RandomTree, expected: string[], actual: string[], sql: string) {
  const missing = expected.filter((k) => !actual.includes(k));
  const extra = actual.filter((k) => !expected.includes(k));
  return [
    `tree #${index} (seed ${PROPERTY_SEED}), subject ${tree.subject}:`,
    stringify(tree.where),
    `reference: ${expected.length} members; Roster: ${actual.length}`,
    `only in the reference: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`,
    `only in Roster: ${extra.slice(0, 10).join(', ')}${extra.length > 10 ? ', ...' : ''}`,
    sql,
  ].join('\n');
}

describe('Roster against the reference evaluator', () => {
  it('loads the generated data set whole, every relation linked', async () => {
    const s = `roster_${sandbox}`;
    const { rows } = await workspace.pool.query(
      `select (select count(*)::int from ${s}.persons) as persons,
              (select count(*)::int from ${s}.accounts) as accounts,
              (select count(*)::int from ${s}.opportunities) as opportunities,
              (select count(*)::int from ${s}.events where person_id is not null) as events,
              (select count(*)::int from ${s}.opportunity_roles where person_id is not null and opportunity_id is not null) as roles,
              (select count(*)::int from ${s}.account_person_relations where person_id is not null and account_id is not null) as relations,
              (select count(*)::int from ${s}.campaign_members where person_id is not null and campaign_id is not null) as "campaignMembers",
              (select count(*)::int from ${s}.marketing_list_members where person_id is not null and list_id is not null) as "listMembers",
              (select count(*)::int from ${s}.persons where account_id is not null) as "personsWithAccount",
              (select count(*)::int from ${s}.accounts where parent_account_id is not null) as "accountsWithParent"`,
    );
    expect(rows[0]).toEqual({
      persons: data.persons.length,
      accounts: data.accounts.length,
      opportunities: data.opportunities.length,
      events: data.events.length,
      roles: data.roles.length,
      relations: data.relations.length,
      campaignMembers: data.campaignMembers.length,
      listMembers: data.listMembers.length,
      personsWithAccount: data.persons.filter((p) => p.account).length,
      accountsWithParent: data.accounts.filter((a) => a.parent).length,
    });
  });

  it(`selects the same members as the reference for ${TREES} random trees`, async () => {
    const mismatches: string[] = [];
    let nonEmpty = 0;
    for (let start = 0; start < trees.length; start += 16) {
      const batch = trees.slice(start, start + 16);
      const results = await Promise.all(batch.map((tree) => rosterMembers(tree)));
      batch.forEach((tree, i) => {
        const expected = reference.members(tree.subject, tree.where);
        const { members, sql } = results[i]!;
        if (expected.length > 0) nonEmpty++;
        if (JSON.stringify(expected) !== JSON.stringify(members))
          mismatches.push(describeMismatch(start + i, tree, expected, members, sql));
      });
    }
    if (mismatches.length > 0)
      expect.fail(`${mismatches.length} of ${TREES} trees differ; the first:\n${mismatches[0]}`);
    // The trees are not vacuous: most select someone, and not everyone.
    expect(nonEmpty).toBeGreaterThan(TREES / 3);
  }, 120_000);

  // 16 conditions per table: several tables (several scans), as a cycle of over 100 distinct
  // conditions reads. One per table: a table holds only the persons with an event of its
  // condition's types and window, so "none" and "at most" are decided on persons without a row.
  it.each([16, 1])(
    `selects the same members when the ${TREES} trees read shared event counts, %i per table`,
    async (conditionsPerTable) => {
      const client = await queries.connect();
      const conditions = trees.flatMap((tree) => eventConditions(checked(tree)));
      let shared: SharedEventCounts | undefined;
      try {
        shared = await buildSharedEventCounts(client, sandboxSchema(sandbox), conditions, NOW, { conditionsPerTable });
        // Not vacuous: many distinct conditions, over several tables of counts.
        expect(shared.columns.size).toBeGreaterThan(50);
        expect(new Set([...shared.columns.values()].map((c) => c.table)).size).toBeGreaterThan(1);
        const mismatches: string[] = [];
        let reading = 0;
        for (const [i, tree] of trees.entries()) {
          const { members, sql } = await rosterMembers(tree, { db: client, sharedEvents: shared });
          if (sql.includes('roster_event_counts_')) reading++;
          const expected = reference.members(tree.subject, tree.where);
          if (JSON.stringify(expected) !== JSON.stringify(members))
            mismatches.push(describeMismatch(i, tree, expected, members, sql));
        }
        if (mismatches.length > 0)
          expect.fail(`${mismatches.length} of ${TREES} trees differ; the first:\n${mismatches[0]}`);
        expect(reading).toBeGreaterThan(50);
      } finally {
        if (shared) await dropSharedEventCounts(client, shared);
        client.release();
      }
    },
    120_000,
  );

  it(`agrees through apply and a cycle of evaluateSegment for ${FULL_PATH_TREES} of them`, async () => {
    const chosen = trees.slice(0, FULL_PATH_TREES);
    const files = Object.fromEntries(
      chosen.map((tree, i) => [
        `segments/p${i}.yaml`,
        segmentYaml({ name: `p${i}`, subject: tree.subject, where: tree.where }),
      ]),
    );
    await writeConfig(dir, files);
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], workspace.env);
    // As `roster segment run --all` evaluates them: one cycle, its event conditions counted once.
    const failures: string[] = [];
    const cycle = await evaluateSegmentCycle(
      workspace.pool,
      sandbox,
      await readAppliedSegments(workspace.pool, sandbox),
      NOW,
      { onFailure: (error) => void failures.push(error.message) },
    );
    expect(failures).toEqual([]);
    expect(cycle.sharedColumns).toBeGreaterThanOrEqual(2);
    const s = `roster_${sandbox}`;
    for (const [i, tree] of chosen.entries()) {
      const { rows } = await workspace.pool.query<{ key: string }>(
        `select split_part(coalesce(p.canonical_key, a.canonical_key), '/', 3) as key from ${s}.segment_memberships m
         left join ${s}.persons p on m.subject_type = 'person' and p.id = m.subject_id
         left join ${s}.accounts a on m.subject_type = 'account' and a.id = m.subject_id
         where m.segment = $1`,
        [`p${i}`],
      );
      const members = rows.map((r) => r.key).sort();
      expect(members, `tree #${i}:\n${stringify(tree.where)}`).toEqual(reference.members(tree.subject, tree.where));
    }
  }, 120_000);
});
