import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem } from '../../../engine/config/problem';
import { validateConfig } from '../../../engine/rules/validate-config';
import type { Condition } from '../../../schemas/generated/resource-types';
import { configFromText } from '../../support/config-from-text';
import { MAX_DEPTH, OPERATORS, randomTrees, treeDepth } from './random-condition';
import { DAY, type Dataset, generateDataset, PROPERTY_SEED, PROPERTY_SIZE, SECOND } from './random-dataset';
import { ReferenceEvaluator } from './reference-evaluator';

const NOW = new Date('2026-06-15T12:00:00.000Z');

const SOURCE_YAML = `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: data }
  customFields:
    - { entity: person, name: score, type: number }
    - { entity: person, name: lastContactDate, type: date }
  objects:
    - { name: persons, entity: person, path: persons.csv, key: id, fields: { email: email } }
`;

function walk(c: Condition, visit: (c: Condition) => void): void {
  visit(c);
  for (const child of [...(c.all ?? []), ...(c.any ?? []), ...(c.not ? [c.not] : [])]) walk(child, visit);
  for (const child of [c.account, c.parent]) if (child) walk(child, visit);
  for (const r of [c.opportunities, c.accountRelations, c.persons, c.campaigns, c.lists, c.events])
    if (r?.where) walk(r.where, visit);
}

describe('random condition trees', () => {
  const data = generateDataset(PROPERTY_SEED, NOW);
  const trees = randomTrees(PROPERTY_SEED, data, NOW, 1000);

  it('are the same for the same seed and differ for another', () => {
    expect(randomTrees(PROPERTY_SEED, data, NOW, 50)).toEqual(trees.slice(0, 50));
    expect(randomTrees(PROPERTY_SEED + 1, data, NOW, 50)).not.toEqual(trees.slice(0, 50));
    expect(generateDataset(PROPERTY_SEED, NOW)).toEqual(data);
  });

  it('are at most 3 deep', () => {
    expect(Math.max(...trees.map((t) => treeDepth(t.where)))).toBe(MAX_DEPTH);
  });

  it('pass `roster validate`: the Segment schema, the attribute catalog and the operator rules', () => {
    const files: Record<string, string> = { 'sources/crm.yaml': SOURCE_YAML };
    trees.forEach((tree, i) => {
      files[`segments/t${i}.yaml`] = stringify({
        apiVersion: 'roster/v1',
        kind: 'Segment',
        metadata: { name: `t${i}` },
        spec: { subject: tree.subject, evaluation: 'batch', where: tree.where },
      });
    });
    const { resources, problems } = configFromText(files);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(validateConfig(resources, { allowedPrivateHosts: [] }).problems.map(formatProblem)).toEqual([]);
  });

  it('use every operator of every type, every relation, its filters, event windows and counts', () => {
    const seen = new Set<string>();
    for (const tree of trees)
      walk(tree.where, (c) => {
        if (c.op) seen.add(`op:${c.op}`);
        if (c.attribute?.includes('.')) seen.add(`dotted:${c.attribute.split('.')[0]}`);
        for (const key of Object.keys(c)) seen.add(`node:${key}`);
        for (const r of [c.opportunities, c.accountRelations, c.persons, c.campaigns, c.lists])
          for (const key of Object.keys(r ?? {})) seen.add(`filter:${key}`);
        for (const key of Object.keys(c.events ?? {})) seen.add(`events:${key}`);
      });
    const expected = [
      ...[...new Set(Object.values(OPERATORS).flat())].map((op) => `op:${op}`),
      'dotted:account',
      'dotted:parent',
      ...['all', 'any', 'not', 'account', 'parent', 'opportunities', 'accountRelations', 'persons', 'campaigns'].map(
        (k) => `node:${k}`,
      ),
      'node:lists',
      'node:events',
      ...['role', 'primary', 'active', 'status', 'count', 'where'].map((k) => `filter:${k}`),
      ...['type', 'within', 'where', 'count'].map((k) => `events:${k}`),
    ];
    expect(expected.filter((e) => !seen.has(e))).toEqual([]);
  });

  it('are drawn from a data set of the planned size', () => {
    expect({
      persons: data.persons.length,
      accounts: data.accounts.length,
      opportunities: data.opportunities.length,
      events: data.events.length,
    }).toEqual(PROPERTY_SIZE);
  });
});

describe('the reference evaluator', () => {
  const t = NOW.getTime();
  const none = { email: null, firstName: null, jobTitle: null, country: null, leadStatus: null, emailOptOut: null };
  const person = (key: string, more: Partial<Dataset['persons'][number]>): Dataset['persons'][number] => ({
    key,
    ...none,
    createdAt: null,
    score: null,
    lastContactDate: null,
    account: null,
    ...more,
  });
  const data: Dataset = {
    persons: [
      person('P1', { email: 'Ann@X.example', jobTitle: 'VP Sales', createdAt: t - 30 * DAY, account: 'A1' }),
      person('P2', { jobTitle: 'vp sales', createdAt: t - 30 * DAY - SECOND, lastContactDate: '2026-05-16' }),
      person('P3', { account: 'A1', lastContactDate: '2026-06-15' }),
    ],
    accounts: [
      {
        key: 'A1',
        name: 'Acme',
        domain: 'Acme.example',
        industry: null,
        annualRevenue: 10,
        numberOfEmployees: null,
        createdAt: null,
        parent: null,
      },
    ],
    opportunities: [],
    roles: [],
    relations: [
      {
        key: 'X1',
        account: 'A1',
        person: 'P2',
        role: 'Champion',
        isPrimary: null,
        isActive: null,
        startDate: null,
        endDate: '2026-06-15',
      },
    ],
    campaigns: [],
    campaignMembers: [],
    lists: [],
    listMembers: [],
    events: [
      { key: 'E1', person: 'P1', type: 'email.opened', occurredAt: t - 30 * DAY, url: null, campaign: null },
      { key: 'E2', person: 'P2', type: 'email.opened', occurredAt: t + SECOND, url: null, campaign: null },
    ],
  };
  const evaluator = new ReferenceEvaluator(data, NOW);
  const persons = (where: Condition) => evaluator.members('person', where);
  const accounts = (where: Condition) => evaluator.members('account', where);

  it('keeps missing values out of comparisons and lets `not` take them in', () => {
    expect(persons({ attribute: 'jobTitle', op: 'neq', value: 'VP Sales' })).toEqual(['P2']);
    expect(persons({ not: { attribute: 'jobTitle', op: 'eq', value: 'VP Sales' } })).toEqual(['P2', 'P3']);
  });

  it('folds case for email and domain and for contains, not for eq on other strings', () => {
    expect(persons({ attribute: 'email', op: 'eq', value: 'ann@x.EXAMPLE' })).toEqual(['P1']);
    expect(persons({ attribute: 'jobTitle', op: 'eq', value: 'vp sales' })).toEqual(['P2']);
    expect(persons({ attribute: 'jobTitle', op: 'contains', value: 'SALES' })).toEqual(['P1', 'P2']);
    expect(persons({ attribute: 'account.domain', op: 'eq', value: 'acme.EXAMPLE' })).toEqual(['P1', 'P3']);
  });

  it('includes both edges of a window and nothing in the future', () => {
    expect(persons({ attribute: 'createdAt', op: 'within', value: '30d' })).toEqual(['P1']);
    expect(persons({ attribute: 'createdAt', op: 'olderThan', value: '30d' })).toEqual(['P2']);
    expect(persons({ events: { type: 'email.opened', within: '30d' } })).toEqual(['P1']);
    expect(persons({ attribute: 'lastContactDate', op: 'within', value: '30d' })).toEqual(['P3']);
  });

  it('reads relations with their filters and counts', () => {
    expect(persons({ accountRelations: { active: true, role: ['CHAMPION'] } })).toEqual(['P2']);
    expect(persons({ events: { type: 'email.opened', count: { eq: 0 } } })).toEqual(['P3']);
    // A1's persons: P1 and P3 by their account (primary, active, no role), P2 by relation X1.
    expect(accounts({ persons: { count: { eq: 3 } } })).toEqual(['A1']);
    expect(accounts({ persons: { active: true, count: { eq: 3 } } })).toEqual(['A1']);
    expect(accounts({ persons: { primary: true, count: { eq: 2 } } })).toEqual(['A1']);
    expect(accounts({ persons: { role: ['champion'], count: { eq: 1 } } })).toEqual(['A1']);
    expect(accounts({ persons: { active: false } })).toEqual([]);
  });
});
